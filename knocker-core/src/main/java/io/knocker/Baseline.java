package io.knocker;

/**
 * A streaming estimate of the median of a latency that a door pays even when nothing
 * competes with it (a timer waking late, an idle pool handing a task to a thread). Each
 * observation moves the estimate one step towards it, so outliers (the pauses being
 * measured) cannot drag it far, and observations above the ceiling, certainly not idle
 * noise, are ignored. Used by the knock loop's thread only.
 */
final class Baseline {

	private static final long STEP_NANOS = 1_000;

	private final long ceilingNanos;

	private long nanos = -1;

	Baseline(long ceilingNanos) {
		this.ceilingNanos = ceilingNanos;
	}

	long nanos() {
		return Math.max(this.nanos, 0);
	}

	void observe(long latencyNanos) {
		if (latencyNanos < 0 || latencyNanos > this.ceilingNanos) {
			return;
		}
		if (this.nanos < 0) {
			this.nanos = latencyNanos;
		}
		else if (latencyNanos > this.nanos) {
			this.nanos += STEP_NANOS;
		}
		else if (latencyNanos < this.nanos) {
			this.nanos = Math.max(0, this.nanos - STEP_NANOS);
		}
	}

}
