package io.knocker;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an executor door's look before a knock costs the knock loop, on an idle pool whose
 * threads have started (the look that lets the knock through without waking a worker): a
 * {@link ThreadPoolExecutor} of 2 or 10 threads, and a scheduled pool of 2 with a task
 * scheduled an hour ahead. Run with {@code -prof gc} for the allocation. In
 * {@code io.knocker} to reach the package-private {@link ExecutorDoor}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExecutorLookBenchmark {

	@Param({ "pool-2", "pool-10", "scheduled-2" })
	public String pool;

	private ThreadPoolExecutor executor;

	private BooleanSupplier look;

	@Setup
	public void start() {
		if (this.pool.startsWith("scheduled")) {
			ScheduledThreadPoolExecutor scheduled = new ScheduledThreadPoolExecutor(2);
			scheduled.schedule(() -> {
			}, 1, TimeUnit.HOURS);
			this.executor = scheduled;
		}
		else {
			this.executor = (ThreadPoolExecutor) Executors
				.newFixedThreadPool(Integer.parseInt(this.pool.substring("pool-".length())));
		}
		this.executor.prestartAllCoreThreads();
		this.look = ExecutorDoor.lookAt(this.executor);
		if (!this.look.getAsBoolean()) {
			throw new IllegalStateException("an idle pool should let a knock through");
		}
	}

	@TearDown
	public void stop() {
		this.executor.shutdownNow();
	}

	@Benchmark
	public boolean look() {
		return this.look.getAsBoolean();
	}

}
