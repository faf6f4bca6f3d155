package io.knocker.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.knocker.Doors;
import io.knocker.KnockKnock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * gilknocker's overhead table on the JVM: three workloads, run by four threads, with no
 * knocker, and with a knocker on the JVM door or on the workload's own monitor at four
 * polling intervals. The figure of merit is each configuration's time per operation over
 * the same workload's time with no knocker.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Threads(4)
@Fork(value = 2, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
public class OverheadBenchmark {

	/** About 10 us of computation per operation. */
	private static final int WORK = 4_000;

	/** The share of {@link #WORK} that {@code someLock} does holding the lock. */
	private static final int SOME = WORK / 10;

	/**
	 * {@code none}, or the door and polling interval, such as {@code jvm@1ms} or
	 * {@code lock@100us}; {@code lock-noholders@1ms} is the monitor door with holder
	 * sampling off (the others sample at the default two a second).
	 */
	@Param({ "none", "jvm@10us", "jvm@100us", "jvm@1ms", "jvm@10ms", "lock@10us", "lock@100us", "lock@1ms",
			"lock@10ms" })
	public String knocker;

	private final Object monitor = new Object();

	private KnockKnock knock;

	@Setup(Level.Trial)
	public void start() {
		if ("none".equals(this.knocker)) {
			return;
		}
		String[] doorAndPolling = this.knocker.split("@");
		this.knock = KnockKnock.builder()
			.door("jvm".equals(doorAndPolling[0]) ? Doors.jvm() : Doors.monitor(this.monitor))
			.pollingInterval(parse(doorAndPolling[1]))
			.holderSamplesPerSecond("lock-noholders".equals(doorAndPolling[0]) ? 0 : 2)
			.build();
		this.knock.start();
	}

	@TearDown(Level.Trial)
	public void stop() {
		if (this.knock != null) {
			this.knock.stop();
		}
	}

	/** Four threads contending one monitor, as gilknocker's "a lotta GIL". */
	@Benchmark
	public void aLottaLock() {
		synchronized (this.monitor) {
			Blackhole.consumeCPU(WORK);
		}
	}

	/** Threads taking the monitor briefly between lock-free work. */
	@Benchmark
	public void someLock() {
		synchronized (this.monitor) {
			Blackhole.consumeCPU(SOME);
		}
		Blackhole.consumeCPU(WORK - SOME);
	}

	/** Lock-free computation. */
	@Benchmark
	public void aLittleLock() {
		Blackhole.consumeCPU(WORK);
	}

	static Duration parse(String interval) {
		if (interval.endsWith("us")) {
			return Duration.ofNanos(1_000 * Long.parseLong(interval.substring(0, interval.length() - 2)));
		}
		return Duration.ofMillis(Long.parseLong(interval.substring(0, interval.length() - 2)));
	}

}
