package io.knocker;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a reading of the kernel's run-queue delay costs the thread that reads it
 * ({@link Doors#runQueueNanos()}: a read of {@code /proc/thread-self/schedstat} through a
 * channel the thread keeps open), beside {@link System#nanoTime()} and the thread's own
 * CPU time from {@code ThreadMXBean}. Run with {@code -prof gc} for the allocation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RunQueueBenchmark {

	private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory
		.getThreadMXBean();

	@Benchmark
	public long runQueue() {
		return Doors.runQueueNanos();
	}

	@Benchmark
	public long nanoTime() {
		return System.nanoTime();
	}

	@Benchmark
	public long threadCpuTime() {
		return THREADS.getCurrentThreadCpuTime();
	}

}
