package io.knocker.autoconfigure.measure;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.knocker.MeasuredCall;
import io.knocker.MeasuredCallTotals;
import org.jspecify.annotations.Nullable;

/**
 * The contention seen by the calls of one measured method: how many, how many were
 * sampled (spanned a sampling window), the contention of the last and the largest, and
 * the mean over the method's time ({@link MeasuredCallTotals}: contended over sampled
 * time summed over the sampled calls, never a mean of ratios); and, where the door can
 * tell, the same of each call's own wait at the door. Lock-free: calls never wait on each
 * other to record.
 */
public final class MethodContention {

	private final String name;

	private final String door;

	// Replaced whole by a reset: a call booked as it happens lands in the old or the new.
	private volatile LongAdder failedCalls = new LongAdder();

	private volatile MeasuredCallTotals totals = new MeasuredCallTotals();

	private volatile Extremes contention = new Extremes();

	private volatile Extremes waited = new Extremes();

	MethodContention(String name, String door) {
		this.name = name;
		this.door = door;
	}

	/**
	 * Books one closed call; returns its contention, or -1 if it spanned no sampling
	 * window and so has no figure of its own.
	 */
	double record(MeasuredCall call, boolean failed) {
		if (failed) {
			this.failedCalls.increment();
		}
		if (!this.totals.add(call)) {
			return -1;
		}
		double contention = call.contention();
		this.contention.add(contention);
		OptionalDouble waited = call.waited();
		if (waited.isPresent()) {
			this.waited.add(waited.getAsDouble());
		}
		return contention;
	}

	/** Starts every figure over, as the contention endpoint's reset does. */
	void reset() {
		this.totals = new MeasuredCallTotals();
		this.failedCalls = new LongAdder();
		this.contention = new Extremes();
		this.waited = new Extremes();
	}

	/**
	 * The name calls are reported under, such as {@code OrderService.placeOrder}.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * The door measured on.
	 * @return the door's name
	 */
	public String getDoor() {
		return this.door;
	}

	/**
	 * Calls completed, normally or not.
	 * @return the number of calls
	 */
	public long getCalls() {
		return this.totals.calls();
	}

	/**
	 * Calls that ended with an exception.
	 * @return the number of failed calls
	 */
	public long getFailedCalls() {
		return this.failedCalls.sum();
	}

	/**
	 * Calls that spanned a sampling window, and so have figures of their own: with the
	 * knocker's sleeps, a call short against its cycle often spans none.
	 * @return the number of sampled calls
	 */
	public long getSampledCalls() {
		return this.totals.sampledCalls();
	}

	/**
	 * The contention of the last sampled call.
	 * @return the last contention, 0 before any
	 */
	public double getLastContention() {
		return this.contention.last;
	}

	/**
	 * The share of the method's sampled time that the door was taken: contended over
	 * sampled time, summed over the sampled calls.
	 * @return the time-weighted contention, 0 before any
	 */
	public double getMeanContention() {
		return this.totals.contention();
	}

	/**
	 * The largest contention of a sampled call.
	 * @return the largest contention, 0 before any
	 */
	public double getMaxContention() {
		return this.contention.max();
	}

	/**
	 * Sampled calls whose own wait is known: where the door can tell.
	 * @return the number of calls with a waited figure
	 */
	public long getWaitedCalls() {
		return this.totals.waitedCalls();
	}

	/**
	 * The share of the last such call's time that its thread spent waiting at the door.
	 * @return the last waited share, or {@code null} before any (always, where the door
	 * cannot tell)
	 */
	public @Nullable Double getLastWaited() {
		return (getWaitedCalls() > 0) ? this.waited.last : null;
	}

	/**
	 * The share of the method's time that its threads spent waiting at the door: waiting
	 * looks over looks, over the calls.
	 * @return the time-weighted waited share, or {@code null} before any
	 */
	public @Nullable Double getMeanWaited() {
		OptionalDouble waited = this.totals.waited();
		return waited.isPresent() ? waited.getAsDouble() : null;
	}

	/**
	 * The largest share of a call's time that its thread spent waiting at the door.
	 * @return the largest waited share, or {@code null} before any
	 */
	public @Nullable Double getMaxWaited() {
		return (getWaitedCalls() > 0) ? this.waited.max() : null;
	}

	/** The last and the largest of a per-call share. */
	private static final class Extremes {

		private final AtomicLong maxBits = new AtomicLong(Double.doubleToLongBits(0.0));

		private volatile double last;

		void add(double share) {
			this.last = share;
			this.maxBits.accumulateAndGet(Double.doubleToLongBits(share), Extremes::larger);
		}

		/** The largest, 0 before any. */
		double max() {
			return Double.longBitsToDouble(this.maxBits.get());
		}

		private static long larger(long a, long b) {
			return (Double.longBitsToDouble(a) >= Double.longBitsToDouble(b)) ? a : b;
		}

	}

}
