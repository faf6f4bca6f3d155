package io.knocker;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.LongAdder;

/**
 * The time-weighted figures of many measured calls on one door, such as every call of one
 * method: the share of their sampled time that the door was taken (contended time over
 * sampled time, summed over the sampled calls) and the share their threads spent waiting
 * at it (waiting looks over looks). Never a mean of per-call ratios, which would weigh a
 * short call with one look as much as a long one. Calls that span no sampling window add
 * nothing but their count; with windows at random moments the totals stay unbiased.
 * Lock-free: calls never wait on each other to add.
 */
public final class MeasuredCallTotals {

	private final LongAdder calls = new LongAdder();

	private final LongAdder sampledCalls = new LongAdder();

	private final LongAdder waitedCalls = new LongAdder();

	private final LongAdder contendedNanos = new LongAdder();

	private final LongAdder sampledNanos = new LongAdder();

	private final LongAdder waitedPart = new LongAdder();

	private final LongAdder waitedWhole = new LongAdder();

	/**
	 * Adds a closed call.
	 * @param call the call
	 * @return whether it was sampled, and so has figures of its own
	 */
	public boolean add(MeasuredCall call) {
		this.calls.increment();
		if (!call.isSampled()) {
			return false;
		}
		this.contendedNanos.add(call.contendedNanos());
		this.sampledNanos.add(call.sampledNanos());
		long whole = call.waitedWhole();
		if (whole > 0) {
			this.waitedPart.add(call.waitedPart());
			this.waitedWhole.add(whole);
			this.waitedCalls.increment();
		}
		// Counted last, so that a reader that sees the count sees the figures.
		this.sampledCalls.increment();
		return true;
	}

	/**
	 * Calls added.
	 * @return the number of calls
	 */
	public long calls() {
		return this.calls.sum();
	}

	/**
	 * Calls that spanned a sampling window.
	 * @return the number of sampled calls
	 */
	public long sampledCalls() {
		return this.sampledCalls.sum();
	}

	/**
	 * Sampled calls with a waited figure (where the door can tell).
	 * @return the number of calls with a waited figure
	 */
	public long waitedCalls() {
		return this.waitedCalls.sum();
	}

	/**
	 * Contended over sampled time, summed over the sampled calls, from 0 to 1.
	 * @return the time-weighted contention, 0 before any sampled call
	 */
	public double contention() {
		return KnockSnapshot.ratio(this.contendedNanos.sum(), this.sampledNanos.sum());
	}

	/**
	 * The share of the calls' time their threads spent waiting at the door: waiting looks
	 * over looks (for the JVM door, the contention).
	 * @return the time-weighted waited share, or empty before any call with one
	 */
	public OptionalDouble waited() {
		long whole = this.waitedWhole.sum();
		return (whole > 0) ? OptionalDouble.of(KnockSnapshot.ratio(this.waitedPart.sum(), whole))
				: OptionalDouble.empty();
	}

}
