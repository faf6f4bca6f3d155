package io.knocker.benchmarks.advice;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The requests' own timings, summed per path since the last reset: what Knocker's
 * {@code requests} estimate, timed by the requests themselves.
 */
final class Truth {

	private final AtomicReference<Map<String, Sums>> paths = new AtomicReference<>(new ConcurrentHashMap<>());

	/**
	 * Book one request.
	 * @param path the request's path
	 * @param serverNanos its time on the worker, from the first filter to the response
	 * @param waitNanos its wait for the resource ({@code 0} for {@code /work})
	 * @param holdNanos the time it held the resource
	 */
	void record(String path, long serverNanos, long waitNanos, long holdNanos) {
		Sums sums = this.paths.get().computeIfAbsent(path, (key) -> new Sums());
		sums.count.increment();
		sums.serverNanos.add(serverNanos);
		sums.waitNanos.add(waitNanos);
		sums.holdNanos.add(holdNanos);
	}

	/**
	 * Start over: a request still under way is booked whole after the reset, as Knocker
	 * books it.
	 */
	void reset() {
		this.paths.set(new ConcurrentHashMap<>());
	}

	/**
	 * The sums per path: {@code count}, {@code seconds} (on the worker),
	 * {@code waitedSeconds}, {@code heldSeconds} and {@code share} (waited over seconds).
	 * @return the sums, by path
	 */
	Map<String, Map<String, Object>> read() {
		Map<String, Map<String, Object>> read = new TreeMap<>();
		this.paths.get().forEach((path, sums) -> {
			double seconds = sums.serverNanos.sum() / 1e9;
			double waited = sums.waitNanos.sum() / 1e9;
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("count", sums.count.sum());
			figures.put("seconds", seconds);
			figures.put("waitedSeconds", waited);
			figures.put("heldSeconds", sums.holdNanos.sum() / 1e9);
			figures.put("share", (seconds > 0) ? waited / seconds : 0.0);
			read.put(path, figures);
		});
		return read;
	}

	private static final class Sums {

		private final LongAdder count = new LongAdder();

		private final LongAdder serverNanos = new LongAdder();

		private final LongAdder waitNanos = new LongAdder();

		private final LongAdder holdNanos = new LongAdder();

	}

}
