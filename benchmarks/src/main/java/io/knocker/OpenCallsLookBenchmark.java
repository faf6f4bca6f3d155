package io.knocker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a knock's look at the open calls costs the knock loop, and what opening and
 * closing a call costs the application, on a lock door with {@code open} calls open: a
 * look walks only the slots in use (at most 32 calls a knock), and after a burst of
 * 10,000 calls that all closed ({@code burst=true}) it walks as few as before it. In
 * {@code io.knocker} to reach the package-private {@link OpenCalls}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpenCallsLookBenchmark {

	@Param({ "4", "2000" })
	public int open;

	@Param({ "false", "true" })
	public boolean burst;

	private OpenCalls calls;

	@Setup
	public void start() {
		this.calls = new OpenCalls(Doors.lock(new ReentrantLock()));
		List<OpenCalls.Call> opened = new ArrayList<>();
		for (int i = 0; i < this.open; i++) {
			this.calls.open(Thread.currentThread());
		}
		if (this.burst) {
			for (int i = 0; i < 10_000; i++) {
				opened.add(this.calls.open(Thread.currentThread()));
			}
			opened.forEach(OpenCalls.Call::close);
		}
	}

	@Benchmark
	public void look() {
		this.calls.look();
	}

	@Benchmark
	public void openAndClose() {
		this.calls.open(Thread.currentThread()).close();
	}

}
