package io.knocker.benchmarks.advice;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long a request holds its resource: the caller's draw when it gives one, else an
 * exponential draw of the configured mean; spent asleep, to the nanosecond the clock
 * allows ({@code Thread.sleep(millis, nanos)} rounds to a millisecond on JDK 17).
 */
final class ServiceTime {

	private final long meanNanos;

	ServiceTime(Duration mean) {
		this.meanNanos = mean.toNanos();
	}

	/**
	 * Sleep for the service time.
	 * @param micros the caller's draw in microseconds, or {@code null} to draw here
	 * @return the nanoseconds slept
	 */
	long hold(Long micros) {
		long nanos = (micros != null) ? TimeUnit.MICROSECONDS.toNanos(micros)
				: (long) (-this.meanNanos * Math.log(1.0 - ThreadLocalRandom.current().nextDouble()));
		long start = System.nanoTime();
		long deadline = start + nanos;
		for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
			LockSupport.parkNanos(left);
		}
		return System.nanoTime() - start;
	}

}
