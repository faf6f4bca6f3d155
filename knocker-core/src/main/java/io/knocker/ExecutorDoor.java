package io.knocker;

import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * An {@link Executor}: a knock hands it a no-op and waits until the no-op starts, less
 * the hand-off time of the idle pool. A long wait means the pool's queue is backed up. No
 * thread of Knocker's waits: the no-op itself books the knock when it runs. The knock
 * allocates whatever the executor allocates to accept a task.
 * <p>
 * A {@link ThreadPoolExecutor} below its core size starts a new thread for every task it
 * is handed, so nothing queues: the knock gets straight through, and the pool is handed
 * nothing. Knocker never starts a pool's threads; a pool the application has not used yet
 * costs no thread and no wake-up. Reading the pool's size takes its main lock for a
 * moment (the lock {@code execute} takes only to add a worker).
 */
final class ExecutorDoor extends Door {

	private static final long MIN_BASELINE_CEILING_NANOS = 1_000_000;

	/**
	 * An idle pool hands a task over in microseconds when a worker is spinning and in a
	 * few hundred when it must be woken: the idle hand-off is the upper tail, not the
	 * median (with the median an idle virtual-thread scheduler read 0.17).
	 */
	private static final double IDLE_QUANTILE = 0.9;

	private final Executor executor;

	/** The executor when its size can be read before a knock, or {@code null}. */
	private final ThreadPoolExecutor pool;

	private Probe probe;

	ExecutorDoor(Executor executor) {
		this("executor", executor);
	}

	ExecutorDoor(String kind, Executor executor) {
		super(kind);
		this.executor = executor;
		this.pool = (executor instanceof ThreadPoolExecutor pool) ? pool : null;
	}

	@Override
	protected void opened(Knock knock) {
		// A probe per start: one left queued by an earlier start books into that start's
		// knock,
		// which its retired generation refuses, and never ends a knock of this one early.
		this.probe = new Probe(knock,
				new Baseline(Math.max(knock.pollingNanos(), MIN_BASELINE_CEILING_NANOS), IDLE_QUANTILE));
	}

	@Override
	protected void knock(Knock knock) {
		if (this.pool != null && this.pool.getPoolSize() < this.pool.getCorePoolSize() && !this.pool.isShutdown()) {
			// A task would start on a thread of its own at once (a shut-down pool, whose
			// size drops to 0, refuses it instead: a failed knock).
			knock.gotThrough(true);
			return;
		}
		Probe probe = this.probe;
		probe.learn();
		long submitted = System.nanoTime();
		long baseline = probe.baseline.nanos();
		probe.submitted = submitted;
		knock.waitingSince(submitted + baseline, baseline);
		this.executor.execute(probe);
	}

	/** The no-op: it books the knock when it starts, on the executor's thread. */
	private static final class Probe implements Runnable {

		private final Knock knock;

		private final Baseline baseline;

		private volatile long submitted;

		private volatile long started;

		private long learned;

		Probe(Knock knock, Baseline baseline) {
			this.knock = knock;
			this.baseline = baseline;
		}

		@Override
		public void run() {
			this.started = System.nanoTime();
			this.knock.gotThrough(false);
		}

		/**
		 * On the knock loop, before the next knock: the last hand-off time feeds the
		 * baseline.
		 */
		void learn() {
			long started = this.started;
			if (started != this.learned) {
				this.learned = started;
				this.baseline.observe(started - this.submitted);
			}
		}

	}

}
