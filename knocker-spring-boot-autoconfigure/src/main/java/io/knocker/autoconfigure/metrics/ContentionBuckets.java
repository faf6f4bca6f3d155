package io.knocker.autoconfigure.metrics;

import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * A measured method's calls counted into fixed buckets of a per-call share (contention,
 * waited) every 0.05 over 0-1, published as cumulative counters such as
 * {@code knocker.method.contention.buckets} with an {@code le} tag in registries other
 * than Prometheus (which gets a histogram of its own, {@link PrometheusHistogram}): the
 * same buckets on every instance, so that they aggregate across a fleet. Micrometer's own
 * histograms cannot hold these values: they round each recorded value up to a whole
 * number, so every call between 0 and 1 would land in the bucket {@code le="1.0"}.
 */
final class ContentionBuckets {

	static final int BUCKETS = 20;

	private final LongAdder[] counts = new LongAdder[BUCKETS];

	ContentionBuckets() {
		for (int i = 0; i < BUCKETS; i++) {
			this.counts[i] = new LongAdder();
		}
	}

	/** The upper bound of bucket {@code i}: 0.05, 0.1, ... 1.0. */
	static double bound(int i) {
		return (i + 1) / (double) BUCKETS;
	}

	/** Every bucket's upper bound, 0.05 to 1.0. */
	static double[] bounds() {
		double[] bounds = new double[BUCKETS];
		for (int i = 0; i < BUCKETS; i++) {
			bounds[i] = bound(i);
		}
		return bounds;
	}

	void record(double contention) {
		// Less a hair, so that a value on a bound (0.15 * 20 = 3.0000000000000004) counts
		// in it.
		int i = (int) Math.ceil(contention * BUCKETS - 1e-9) - 1;
		this.counts[Math.max(0, Math.min(BUCKETS - 1, i))].increment();
	}

	/** Calls with a contention of at most bucket {@code i}'s bound. */
	long cumulative(int i) {
		long sum = 0;
		for (int j = 0; j <= i; j++) {
			sum += this.counts[j].sum();
		}
		return sum;
	}

	/**
	 * Registers the buckets as {@code <meter>.buckets}, described as calls whose
	 * {@code figure} (such as "contention") was at most {@code le}.
	 */
	void register(MeterRegistry registry, String meter, String figure, String method, String door) {
		String description = "Sampled calls of the method whose " + figure + " was at most le";
		for (int i = 0; i < BUCKETS; i++) {
			int bucket = i;
			FunctionCounter.builder(meter + ".buckets", this, (buckets) -> buckets.cumulative(bucket))
				.description(description)
				.tag("method", method)
				.tag("door", door)
				.tag("le", Double.toString(bound(i)))
				.register(registry);
		}
		FunctionCounter.builder(meter + ".buckets", this, (buckets) -> buckets.cumulative(BUCKETS - 1))
			.description(description)
			.tag("method", method)
			.tag("door", door)
			.tag("le", "+Inf")
			.register(registry);
	}

}
