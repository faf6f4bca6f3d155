package io.knocker.autoconfigure.measure;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import io.knocker.MeasuredCall;
import org.jspecify.annotations.Nullable;

/**
 * The contention seen by the calls of one measured method: how many, how many were
 * sampled, and the last, mean and largest contention of a sampled call; and, where the
 * door can tell, the same of each call's own wait at the door. Lock-free: calls never
 * wait on each other to record.
 */
public final class MethodContention {

	private final String name;

	private final String door;

	private final LongAdder calls = new LongAdder();

	private final LongAdder failedCalls = new LongAdder();

	private final Share contention = new Share();

	private final Share waited = new Share();

	MethodContention(String name, String door) {
		this.name = name;
		this.door = door;
	}

	/**
	 * Books one call, with its own wait where known (empty for a door that cannot tell,
	 * or a call measured to completion asynchronously, which no one thread waits for);
	 * returns its contention, or -1 if it was not sampled.
	 */
	double record(MeasuredCall call, boolean failed, OptionalDouble waited) {
		this.calls.increment();
		if (failed) {
			this.failedCalls.increment();
		}
		if (!call.isSampled()) {
			return -1;
		}
		double contention = call.contention();
		this.contention.add(contention);
		if (waited.isPresent()) {
			this.waited.add(waited.getAsDouble());
		}
		return contention;
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
		return this.calls.sum();
	}

	/**
	 * Calls that ended with an exception.
	 * @return the number of failed calls
	 */
	public long getFailedCalls() {
		return this.failedCalls.sum();
	}

	/**
	 * Calls during which the knocker sampled (all, unless it was stopped).
	 * @return the number of sampled calls
	 */
	public long getSampledCalls() {
		return this.contention.count.sum();
	}

	/**
	 * The contention of the last sampled call.
	 * @return the last contention, 0 before any
	 */
	public double getLastContention() {
		return this.contention.last;
	}

	/**
	 * The mean contention of the sampled calls.
	 * @return the mean contention, 0 before any
	 */
	public double getMeanContention() {
		return this.contention.mean();
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
		return this.waited.count.sum();
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
	 * The mean share of a call's time that its thread spent waiting at the door.
	 * @return the mean waited share, or {@code null} before any
	 */
	public @Nullable Double getMeanWaited() {
		return (getWaitedCalls() > 0) ? this.waited.mean() : null;
	}

	/**
	 * The largest share of a call's time that its thread spent waiting at the door.
	 * @return the largest waited share, or {@code null} before any
	 */
	public @Nullable Double getMaxWaited() {
		return (getWaitedCalls() > 0) ? this.waited.max() : null;
	}

	/** One per-call share over the calls that have it: count, last, mean, largest. */
	private static final class Share {

		private final LongAdder count = new LongAdder();

		private final DoubleAdder sum = new DoubleAdder();

		private final AtomicLong maxBits = new AtomicLong(Double.doubleToLongBits(0.0));

		private volatile double last;

		void add(double share) {
			this.sum.add(share);
			this.last = share;
			this.maxBits.accumulateAndGet(Double.doubleToLongBits(share), Share::larger);
			// Counted last, so that a reader that sees the count sees the figures.
			this.count.increment();
		}

		/** The mean, 0 before any. */
		double mean() {
			long count = this.count.sum();
			return (count > 0) ? Math.min(1.0, this.sum.sum() / count) : 0.0;
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
