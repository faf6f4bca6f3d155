package io.knocker;

import java.util.OptionalDouble;

/**
 * One measured call: a private view of one knocker's contention over a stretch of time on
 * one thread, such as one method call. While any call is open the knocker samples without
 * its sleeping gap. Calls never reset the knocker's metric or each other. Close it when
 * the stretch ends; closing twice does nothing. (A "window" is only ever a sampling
 * window of gilknocker's cycle.)
 *
 * <pre>{@code
 * try (MeasuredCall call = knocker.open()) {
 *     doWork();
 *     log.info("contention {}, waited {}", call.contention(), call.waited());
 * }
 * }</pre>
 */
public final class MeasuredCall implements AutoCloseable {

	private final KnockKnock knocker;

	private final KnockSnapshot opened;

	private final OpenCalls.Call call;

	private volatile KnockSnapshot closed;

	MeasuredCall(KnockKnock knocker, KnockSnapshot opened, OpenCalls.Call call) {
		this.knocker = knocker;
		this.opened = opened;
		this.call = call;
	}

	/**
	 * The contention from opening to closing (or to now, while open), from 0 to 1; 0 when
	 * nothing was sampled, see {@link #isSampled()}.
	 * @return the call's contention
	 */
	public double contention() {
		return end().contentionSince(this.opened);
	}

	/**
	 * The share of the call's time that the thread which opened it spent waiting at the
	 * door, from 0 to 1, estimated at the knocks (each knock looks whether that thread is
	 * waiting at the door). For the JVM door it is the {@link #contention()}: a pause or
	 * a starved CPU holds up every thread. Empty where the door cannot tell (an executor,
	 * a door without a {@link Door#waitingCheck()}, a thread the JVM cannot see waiting,
	 * such as a virtual thread on a monitor), and when no knock looked.
	 * @return the call's own wait, or empty
	 */
	public OptionalDouble waited() {
		if (this.knocker.countsGcPauses()) {
			return isSampled() ? OptionalDouble.of(contention()) : OptionalDouble.empty();
		}
		double waited = this.call.waited();
		return (waited >= 0) ? OptionalDouble.of(waited) : OptionalDouble.empty();
	}

	/**
	 * Whether a knock ran, or waited, while the call was open (one does unless the
	 * knocker is stopped or the call is short against the polling interval).
	 * @return whether the call's contention was measured
	 */
	public boolean isSampled() {
		KnockSnapshot end = end();
		// A knock ran (or waited on) while the call was open: sampled time alone, with
		// no knock, measured nothing.
		return end.sampledSince(this.opened)
				&& (end.knocks() > this.opened.knocks() || end.contendedNanos() > this.opened.contendedNanos());
	}

	/**
	 * The knocker's counters when the call opened.
	 * @return the snapshot at opening
	 */
	public KnockSnapshot opened() {
		return this.opened;
	}

	/**
	 * The knocker's counters when the call closed, or now while it is open.
	 * @return the snapshot at closing
	 */
	public KnockSnapshot end() {
		KnockSnapshot end = this.closed;
		return (end != null) ? end : this.knocker.snapshot();
	}

	@Override
	public void close() {
		if (this.closed == null) {
			synchronized (this) {
				if (this.closed == null) {
					this.closed = this.knocker.snapshot();
					this.call.close();
				}
			}
		}
	}

}
