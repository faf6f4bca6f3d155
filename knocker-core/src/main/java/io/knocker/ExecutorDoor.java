package io.knocker;

import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * An {@link Executor}: a knock submits a no-op and waits until it starts, less the hand-off time
 * of the idle pool. A long wait means the pool's queue is backed up. The knock allocates whatever
 * the executor allocates to accept a task.
 */
final class ExecutorDoor extends Door {

	private static final long MIN_BASELINE_CEILING_NANOS = 1_000_000;

	private final Executor executor;

	private final Runnable probe = this::started;

	private volatile Thread knocker;

	private volatile boolean started;

	private Baseline baseline;

	ExecutorDoor(Executor executor) {
		super("executor");
		this.executor = executor;
	}

	private void started() {
		this.started = true;
		LockSupport.unpark(this.knocker);
	}

	@Override
	boolean knock(Knock knock) throws InterruptedException {
		if (this.baseline == null) {
			this.baseline = new Baseline(Math.max(knock.pollingNanos(), MIN_BASELINE_CEILING_NANOS));
		}
		this.knocker = Thread.currentThread();
		this.started = false;
		long start = System.nanoTime();
		knock.busySince(start + this.baseline.nanos());
		this.executor.execute(this.probe);
		while (!this.started) {
			LockSupport.park(this);
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}
		this.baseline.observe(System.nanoTime() - start);
		return false;
	}

	@Override
	long busyThresholdNanos() {
		return (this.baseline != null) ? this.baseline.nanos() : 0;
	}

}
