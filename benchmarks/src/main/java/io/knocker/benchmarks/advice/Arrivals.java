package io.knocker.benchmarks.advice;

import java.time.Duration;
import java.util.Random;

/**
 * The load's requests, one after another from a seed: Poisson arrivals at a rate, each
 * with an exponential hold of a mean. The same seed and rate give the same requests, in
 * the load and in {@link SamplePath}.
 */
final class Arrivals {

	private final Random random;

	private final double rate;

	private final double meanHoldMicros;

	private double at;

	private long holdMicros;

	Arrivals(double rate, Duration meanHold, long seed) {
		this.random = new Random(seed);
		this.rate = rate;
		this.meanHoldMicros = meanHold.toNanos() / 1e3;
	}

	/** Draw the next request. */
	void next() {
		this.at += -Math.log(1.0 - this.random.nextDouble()) / this.rate;
		this.holdMicros = Math.round(-this.meanHoldMicros * Math.log(1.0 - this.random.nextDouble()));
	}

	/**
	 * @return when the request arrives, in seconds from the start
	 */
	double at() {
		return this.at;
	}

	/**
	 * @return how long it holds, in microseconds
	 */
	long holdMicros() {
		return this.holdMicros;
	}

}
