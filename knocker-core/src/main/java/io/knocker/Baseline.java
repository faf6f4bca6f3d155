package io.knocker;

import java.util.Arrays;

/**
 * The median (or another quantile) of a latency that a door pays even when nothing
 * competes with it (a timer waking late, an idle pool handing a task to a thread), over
 * the last observations. Observations above the ceiling, certainly not idle noise, are
 * ignored, and a median is not dragged by the outliers it keeps (the pauses being
 * measured). Recomputed every few observations from arrays made once, so knocking
 * allocates nothing. Used by one thread at a time.
 */
final class Baseline {

	private static final int SIZE = 64;

	private static final int RECOMPUTE_EVERY = 8;

	private final long ceilingNanos;

	private final double quantile;

	private final long[] recent = new long[SIZE];

	private final long[] sorted = new long[SIZE];

	private int count;

	private int next;

	private long nanos;

	private long noiseNanos;

	Baseline(long ceilingNanos) {
		this(ceilingNanos, 0.5);
	}

	/**
	 * A baseline at a quantile other than the median, for a latency whose idle noise has
	 * a long tail (an idle pool whose threads are sometimes parked deep).
	 */
	Baseline(long ceilingNanos, double quantile) {
		this.ceilingNanos = ceilingNanos;
		this.quantile = quantile;
	}

	long nanos() {
		return this.nanos;
	}

	/**
	 * The top of the idle noise: the 90th percentile of the same observations. A latency
	 * above it is one that idleness rarely shows.
	 */
	long noiseNanos() {
		return this.noiseNanos;
	}

	void observe(long latencyNanos) {
		if (latencyNanos < 0 || latencyNanos > this.ceilingNanos) {
			return;
		}
		this.recent[this.next] = latencyNanos;
		this.next = (this.next + 1) % SIZE;
		if (this.count < SIZE) {
			this.count++;
		}
		// Early on every observation counts, so that one early outlier is soon outvoted.
		if (this.count < SIZE || this.next % RECOMPUTE_EVERY == 0) {
			System.arraycopy(this.recent, 0, this.sorted, 0, this.count);
			Arrays.sort(this.sorted, 0, this.count);
			this.nanos = this.sorted[(int) (this.quantile * (this.count - 1) + 0.5)];
			this.noiseNanos = this.sorted[(int) (0.9 * (this.count - 1) + 0.5)];
		}
	}

}
