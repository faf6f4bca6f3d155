package io.knocker.autoconfigure.requests;

import java.util.concurrent.Executor;

/**
 * How long the request a worker thread is running waited for a worker: an executor that
 * stamps {@link System#nanoTime()} as the server hands it a task, and hands the stamp to
 * the worker that runs it. Read once per task: a second request on the same task (a
 * keep-alive connection's next request) did not queue.
 */
public final class HandOffStamp {

	/** The door requests queue at for a worker. */
	public static final String DOOR = "http";

	private static final ThreadLocal<long[]> QUEUED = ThreadLocal.withInitial(() -> new long[] { -1 });

	private HandOffStamp() {
	}

	/**
	 * The time the task the current thread runs waited in the server's queue, the first
	 * time it is asked; 0 after; -1 on a thread that is not running a stamped task.
	 * @return nanoseconds queued, or -1
	 */
	public static long queuedNanos() {
		long[] queued = QUEUED.get();
		long nanos = queued[0];
		if (nanos > 0) {
			queued[0] = 0;
		}
		return nanos;
	}

	/**
	 * Wraps an executor so that each task's hand-off is stamped.
	 * @param executor the server's executor
	 * @return the stamping executor
	 */
	public static Executor stamping(Executor executor) {
		return (executor instanceof Stamping) ? executor : new Stamping(executor);
	}

	/**
	 * The executor behind a stamping one, or the executor itself.
	 * @param executor an executor
	 * @return what it wraps
	 */
	public static Executor unwrap(Executor executor) {
		return (executor instanceof Stamping stamping) ? stamping.delegate : executor;
	}

	/**
	 * A task that hands the time it waited between now and its start to the thread that
	 * runs it, for a server's pool to queue in its stead (Jetty's, say).
	 * @param task the task handed over now
	 * @return the stamped task
	 */
	public static Runnable stamped(Runnable task) {
		long handedOff = System.nanoTime();
		return () -> {
			long[] queued = QUEUED.get();
			queued[0] = Math.max(1, System.nanoTime() - handedOff);
			try {
				task.run();
			}
			finally {
				queued[0] = -1;
			}
		};
	}

	/** Stamps each task as it is handed over. */
	private static final class Stamping implements Executor {

		private final Executor delegate;

		Stamping(Executor delegate) {
			this.delegate = delegate;
		}

		@Override
		public void execute(Runnable task) {
			this.delegate.execute(stamped(task));
		}

	}

}
