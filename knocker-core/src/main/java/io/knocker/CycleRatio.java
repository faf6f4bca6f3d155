package io.knocker;

/**
 * A ratio of two quantities that the knock loop adds up cycle by cycle (a loaded machine
 * wakes the loop late and skips knocks): the ratio of their smoothed sums over the last
 * fifty cycles or so, never a mean of per-cycle ratios. The first cycles are averaged
 * alike, then the older ones fade. Written by the knock loop alone, read by any thread.
 */
final class CycleRatio {

	/** The weight of the newest cycle once the first fifty have been seen. */
	private static final double FADE = 0.02;

	private long cycles;

	private double numerator;

	private double denominator;

	private volatile double ratio;

	/**
	 * Adds a cycle's amounts.
	 * @param numerator the cycle's numerator, such as its wall time
	 * @param denominator the cycle's denominator, such as its knocks
	 */
	void cycle(double numerator, double denominator) {
		double weight = Math.max(FADE, 1.0 / ++this.cycles);
		this.numerator += weight * (numerator - this.numerator);
		this.denominator += weight * (denominator - this.denominator);
		if (this.denominator > 0) {
			this.ratio = this.numerator / this.denominator;
		}
	}

	/**
	 * The ratio of the smoothed sums.
	 * @return the ratio, 0 before a cycle with a denominator was seen
	 */
	double ratio() {
		return this.ratio;
	}

}
