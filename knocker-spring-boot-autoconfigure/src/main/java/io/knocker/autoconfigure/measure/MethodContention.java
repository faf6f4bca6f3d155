package io.knocker.autoconfigure.measure;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import io.knocker.KnockWindow;

/**
 * The contention seen by the calls of one measured method: how many, how many were
 * sampled, and the last, mean and largest contention of a sampled call. Lock-free: calls
 * never wait on each other to record.
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

	MethodContention(String name, String door) {
		this.name = name;
		this.door = door;
	}

	/** Books one call; returns its contention, or -1 if it was not sampled. */
	double record(KnockWindow window, boolean failed) {
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
		this.maxBits.accumulateAndGet(Double.doubleToLongBits(contention),
				(a, b) -> (Double.longBitsToDouble(a) >= Double.longBitsToDouble(b)) ? a : b);
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

}
