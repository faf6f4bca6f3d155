package io.knocker.autoconfigure.measure;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import io.knocker.KnockWindow;

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

	private final LongAdder sampledCalls = new LongAdder();

	private final DoubleAdder sampledContention = new DoubleAdder();

	private final AtomicLong maxBits = new AtomicLong(Double.doubleToLongBits(0.0));

	private volatile double last;

	private final Share waited = new Share();

	MethodContention(String name, String door) {
		this.name = name;
		this.door = door;
	}

	/**
	 * Books one call; returns its contention, or -1 if it was not sampled. Its own wait
	 * is booked too unless {@code withWaited} is false (a call measured to completion
	 * asynchronously has no one thread that waits).
	 */
	double record(KnockWindow window, boolean failed, boolean withWaited) {
		this.calls.increment();
		if (failed) {
			this.failedCalls.increment();
		}
		if (!window.isSampled()) {
			return -1;
		}
		double contention = window.contention();
		this.sampledCalls.increment();
		this.sampledContention.add(contention);
		this.last = contention;
		this.maxBits.accumulateAndGet(Double.doubleToLongBits(contention), MethodContention::larger);
		if (withWaited) {
			window.waited().ifPresent(this.waited::add);
		}
		return contention;
	}

	private static long larger(long a, long b) {
		return (Double.longBitsToDouble(a) >= Double.longBitsToDouble(b)) ? a : b;
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
		return this.sampledCalls.sum();
	}

	/**
	 * The contention of the last sampled call.
	 * @return the last contention, 0 before any
	 */
	public double getLastContention() {
		return this.last;
	}

	/**
	 * The mean contention of the sampled calls.
	 * @return the mean contention, 0 before any
	 */
	public double getMeanContention() {
		long sampled = this.sampledCalls.sum();
		return (sampled > 0) ? Math.min(1.0, this.sampledContention.sum() / sampled) : 0.0;
	}

	/**
	 * The largest contention of a sampled call.
	 * @return the largest contention, 0 before any
	 */
	public double getMaxContention() {
		return Double.longBitsToDouble(this.maxBits.get());
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
	public Double getLastWaited() {
		return (getWaitedCalls() > 0) ? this.waited.last : null;
	}

	/**
	 * The mean share of a call's time that its thread spent waiting at the door.
	 * @return the mean waited share, or {@code null} before any
	 */
	public Double getMeanWaited() {
		long calls = getWaitedCalls();
		return (calls > 0) ? Math.min(1.0, this.waited.sum.sum() / calls) : null;
	}

	/**
	 * The largest share of a call's time that its thread spent waiting at the door.
	 * @return the largest waited share, or {@code null} before any
	 */
	public Double getMaxWaited() {
		return (getWaitedCalls() > 0) ? Double.longBitsToDouble(this.waited.maxBits.get()) : null;
	}

	/** The calls' own waits. */
	private static final class Share {

		private final LongAdder count = new LongAdder();

		private final DoubleAdder sum = new DoubleAdder();

		private final AtomicLong maxBits = new AtomicLong(Double.doubleToLongBits(0.0));

		private volatile double last;

		void add(double share) {
			this.sum.add(share);
			this.last = share;
			this.maxBits.accumulateAndGet(Double.doubleToLongBits(share), MethodContention::larger);
			// Counted last, so that a reader that sees the count sees the figures.
			this.count.increment();
		}

	}

}
