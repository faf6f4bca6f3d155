package io.knocker;

import java.util.concurrent.locks.LockSupport;

/**
 * The JVM itself: a knock sleeps one polling interval and measures how late the thread got to run
 * again, less the timer's own idle lateness (as jHiccup does). Late means a stop-the-world pause
 * or CPU starvation kept a ready thread from running.
 */
final class JvmDoor extends Door {

	/** Lateness beyond this is never the timer's idle noise, so the baseline ignores it. */
	private static final long MIN_BASELINE_CEILING_NANOS = 1_000_000;

	private Baseline baseline;

	JvmDoor() {
		super("jvm");
	}

	@Override
	boolean knock(Knock knock) throws InterruptedException {
		long polling = knock.pollingNanos();
		if (this.baseline == null) {
			this.baseline = new Baseline(Math.max(polling, MIN_BASELINE_CEILING_NANOS));
		}
		long start = System.nanoTime();
		// Anything past the interval and the timer's usual lateness is time the JVM held us up.
		knock.busySince(start + polling + this.baseline.nanos());
		LockSupport.parkNanos(this, polling);
		if (Thread.interrupted()) {
			throw new InterruptedException();
		}
		this.baseline.observe(System.nanoTime() - start - polling);
		return false;
	}

	@Override
	long busyThresholdNanos() {
		// A wake-up later than twice the usual lateness.
		return (this.baseline != null) ? this.baseline.nanos() : 0;
	}

	@Override
	boolean knockIsSleep() {
		return true;
	}

}
