package io.knocker;

import java.util.OptionalDouble;

/**
 * One measured call: a private view of one knocker's contention over a stretch of time,
 * such as one method call. Calls ride the knocker's cycle, as a chunk of code measured
 * with gilknocker does: opening one never wakes the knocker or cancels its sleep, and a
 * call gets the knocks of the sampling windows that fall within it. A call that spans no
 * window has no figure of its own ({@link #isSampled()} is false); over many calls the
 * windows fall at random, so {@link MeasuredCallTotals} of them are unbiased. Calls never
 * reset the knocker's metric or each other. Close it when the stretch ends; closing twice
 * does nothing. (A "window" is only ever a sampling window of gilknocker's cycle.)
 *
 * <pre>{@code
 * try (MeasuredCall call = knocker.open()) {
 *     doWork();
 *     log.info("contention {}, waited {}", call.contention(), call.waited());
 * }
 * }</pre>
 */
public final class MeasuredCall implements AutoCloseable {

	private final Ledger ledger;

	private final boolean waitedIsContention;

	/** The mean time between knocks in a window. */
	private final long pollingNanos;

	/**
	 * How much longer the whole cycle is than its window: what a stretch of windows
	 * stands for.
	 */
	private final double stretch;

	private final Ledger.CallMark opened;

	private final OpenCalls.Call call;

	private volatile Ledger.CallMark closed;

	MeasuredCall(Ledger ledger, boolean waitedIsContention, OpenCalls.Call call) {
		this(ledger, waitedIsContention, null, call);
	}

	MeasuredCall(Ledger ledger, boolean waitedIsContention, KnockSettings settings, OpenCalls.Call call) {
		this.ledger = ledger;
		this.waitedIsContention = waitedIsContention;
		this.pollingNanos = (settings != null) ? settings.pollingInterval().toNanos() : 0;
		this.stretch = (settings != null)
				? 1.0 + (double) settings.sleepingInterval().toNanos() / settings.samplingInterval().toNanos() : 1.0;
		this.opened = ledger.mark();
		this.call = call;
	}

	/**
	 * The contention from opening to closing (or to now, while open), from 0 to 1: the
	 * time the knocks within the call waited over the sampled time within it; 0 when
	 * nothing was sampled, see {@link #isSampled()}.
	 * @return the call's contention
	 */
	public double contention() {
		Ledger.CallMark end = end();
		return KnockSnapshot.ratio(end.contendedNanos() - this.opened.contendedNanos(),
				end.sampledNanos() - this.opened.sampledNanos());
	}

	/**
	 * The share of the call's time that the thread which opened it spent waiting at the
	 * door, from 0 to 1, estimated at the knocks (each knock looks whether that thread is
	 * waiting at the door). For the JVM door it is the {@link #contention()}: a pause or
	 * a starved CPU holds up every thread. Empty where the door cannot tell (an executor,
	 * a door without a {@link Door#waitingCheck()}, a thread the JVM cannot see waiting,
	 * such as a virtual thread on a monitor), for a call opened with
	 * {@link KnockKnock#openAsync()}, and when no knock looked.
	 * @return the call's own wait, or empty
	 */
	public OptionalDouble waited() {
		long whole = waitedWhole();
		return (whole > 0) ? OptionalDouble.of(KnockSnapshot.ratio(waitedPart(), whole)) : OptionalDouble.empty();
	}

	/**
	 * Whether a knock ran, or waited, in a sampling window while the call was open: with
	 * the knocker's sleeps, a call short against the cycle often spans none, and has no
	 * figure of its own.
	 * @return whether the call's contention was measured
	 */
	public boolean isSampled() {
		Ledger.CallMark end = end();
		// Sampled time alone, with no knock, measured nothing.
		return end.sampledNanos() > this.opened.sampledNanos()
				&& (end.knocks() > this.opened.knocks() || end.contendedNanos() > this.opened.contendedNanos());
	}

	/**
	 * An estimate of the time, in nanoseconds, that the call's thread waited at the door,
	 * unbiased however short the call: each look that found it waiting stands for the
	 * time between looks (about the polling interval stretched by the sleeps between
	 * windows; as it came out over the knocker's last cycles, so that a loaded machine's
	 * skipped knocks count), so a call that no look reached estimates 0 and the sum over
	 * many calls is right on average. For the JVM door: the CPU starvation of its windows
	 * within the call, so stretched; its stop-the-world pauses are the collectors' own
	 * record, {@link Doors#gcPauseNanos()}. -1 where there is no waited figure (see
	 * {@link #waited()}).
	 * @return the estimated wait, or -1
	 */
	public long estimatedWaitNanos() {
		if (this.call.detached()) {
			return -1;
		}
		Ledger.CallMark end = end();
		if (this.waitedIsContention) {
			long starved = (end.contendedNanos() - this.opened.contendedNanos())
					- (end.pauseNanos() - this.opened.pauseNanos());
			double stretch = this.ledger.windowStretch();
			return Math.max(0, Math.round(starved * ((stretch > 0) ? stretch : this.stretch)));
		}
		if (this.call.cannotTell()) {
			return -1;
		}
		// The time a knock stands for, as it came out (a loaded machine skips knocks);
		// else as the cycle is set.
		double perKnock = this.call.nanosPerKnock();
		if (perKnock <= 0) {
			perKnock = this.pollingNanos * this.stretch;
		}
		return Math.round(this.call.waits() * perKnock / this.call.unitsPerKnock());
	}

	/**
	 * Says that the measured stretch goes on off the thread that opened the call (a
	 * method that returned a {@code CompletionStage} it did not declare): its thread is
	 * looked at no more, and the call has no {@link #waited()} figure, as one opened with
	 * {@link KnockKnock#openAsync()}. Call it on the opening thread, before closing.
	 */
	public void detach() {
		this.call.detach();
	}

	@Override
	public void close() {
		if (this.closed == null) {
			synchronized (this) {
				if (this.closed == null) {
					this.closed = this.ledger.mark();
					this.call.close();
				}
			}
		}
	}

	/** The sampled time within the call, in nanoseconds: its weight among calls. */
	long sampledNanos() {
		return end().sampledNanos() - this.opened.sampledNanos();
	}

	/** The contended time within the call, in nanoseconds. */
	long contendedNanos() {
		return end().contendedNanos() - this.opened.contendedNanos();
	}

	/**
	 * The waited figure's numerator: waiting looks, or, for the JVM door, contended
	 * nanoseconds.
	 */
	long waitedPart() {
		return this.waitedIsContention ? contendedNanos() : this.call.waits();
	}

	/**
	 * The waited figure's denominator: looks, or, for the JVM door, sampled nanoseconds;
	 * 0 when there is no figure.
	 */
	long waitedWhole() {
		if (this.call.detached()) {
			return 0;
		}
		if (this.waitedIsContention) {
			return isSampled() ? sampledNanos() : 0;
		}
		return this.call.looks();
	}

	private Ledger.CallMark end() {
		Ledger.CallMark end = this.closed;
		return (end != null) ? end : this.ledger.mark();
	}

}
