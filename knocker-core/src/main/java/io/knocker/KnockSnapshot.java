package io.knocker;

import java.time.Duration;

/**
 * A knocker's monotonic counters at one moment. They are never reset, so the contention
 * between any two snapshots is exact, whatever resets happened in between.
 *
 * @param knocks knocks made since the knocker was built
 * @param busyKnocks knocks that could not get through at once
 * @param contendedNanos nanoseconds the knocks waited, a knock still waiting included
 * @param sampledNanos nanoseconds sampled, the window still open included (for the JVM
 * door, all the time it ran: its sleeps are accounted for too)
 * @param failedKnocks knocks that threw instead of getting through (a rejecting executor)
 * @param gcPauseNanos nanoseconds of stop-the-world pauses the JVM reported while the JVM
 * door ran, each counted once, in {@code contendedNanos} too; 0 for other doors
 * @param gcPauses how many such pauses
 */
public record KnockSnapshot(long knocks, long busyKnocks, long contendedNanos, long sampledNanos, long failedKnocks,
		long gcPauseNanos, long gcPauses) {

	/** The snapshot of a knocker that has never knocked. */
	public static final KnockSnapshot ZERO = new KnockSnapshot(0, 0, 0, 0, 0, 0, 0);

	/**
	 * The contention between an earlier snapshot and this one: the time knocks waited
	 * over the time sampled, from 0 to 1; 0 when nothing was sampled in between.
	 * @param earlier a snapshot of the same knocker taken before this one
	 * @return the contention in between
	 */
	public double contentionSince(KnockSnapshot earlier) {
		return ratio(this.contendedNanos - earlier.contendedNanos, this.sampledNanos - earlier.sampledNanos);
	}

	/**
	 * The share of knocks between an earlier snapshot and this one that found the door
	 * taken; with knocks spaced at random, an estimate of the door's utilisation. 0 with
	 * no knocks.
	 * @param earlier a snapshot of the same knocker taken before this one
	 * @return the busy ratio in between
	 */
	public double busyRatioSince(KnockSnapshot earlier) {
		return ratio(this.busyKnocks - earlier.busyKnocks, this.knocks - earlier.knocks);
	}

	/**
	 * Whether any time was sampled between an earlier snapshot and this one.
	 * @param earlier a snapshot of the same knocker taken before this one
	 * @return whether the knocker sampled in between
	 */
	public boolean sampledSince(KnockSnapshot earlier) {
		return this.sampledNanos > earlier.sampledNanos;
	}

	/**
	 * The time the knocks waited.
	 * @return the contended time
	 */
	public Duration contended() {
		return Duration.ofNanos(this.contendedNanos);
	}

	/**
	 * The time sampled.
	 * @return the sampled time
	 */
	public Duration sampled() {
		return Duration.ofNanos(this.sampledNanos);
	}

	/**
	 * The stop-the-world pause time counted.
	 * @return the pause time
	 */
	public Duration gcPause() {
		return Duration.ofNanos(this.gcPauseNanos);
	}

	static double ratio(long part, long whole) {
		if (whole <= 0 || part <= 0) {
			return 0.0;
		}
		return Math.min(1.0, (double) part / whole);
	}

}
