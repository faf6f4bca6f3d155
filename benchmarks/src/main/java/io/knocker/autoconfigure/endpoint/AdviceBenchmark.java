package io.knocker.autoconfigure.endpoint;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.knocker.HolderSite;
import io.knocker.KnockSettings;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.requests.RequestLedger;
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
 * What working out the advice costs a read of the endpoint (the target: under 1 ms), with
 * {@code endpoints} endpoints booked (the cap is 100), each having waited at every door:
 * the server's 200 workers, a pool of 10 connections, a semaphore of 4, an executor of 8,
 * a lock, and the CPU. Nothing of it runs on a request's path. In
 * {@code io.knocker.autoconfigure.endpoint} to reach the advisor's readings.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AdviceBenchmark {

	@Param({ "10", "100" })
	public int endpoints;

	private Advisor advisor;

	private final Map<String, Advisor.Reading> doors = new LinkedHashMap<>();

	@Setup
	public void book() {
		RequestLedger ledger = new RequestLedger();
		Map<String, Long> waited = Map.of("http", 2_000_000L, "dataSource", 30_000_000L, "permits", 10_000_000L, "jobs",
				5_000_000L, "orders-lock", 8_000_000L, "cpu", 3_000_000L);
		for (int i = 0; i < this.endpoints; i++) {
			for (int j = 0; j < 10; j++) {
				ledger.book("GET", "/endpoint/" + i, 100_000_000L, waited);
			}
		}
		AtomicLong clock = new AtomicLong();
		this.advisor = new Advisor(
				new Knockers(List.of(),
						new KnockSettings("jvm", Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100),
								Duration.ofMillis(101), 2)),
				ledger, (name) -> null,
				// Each read a minute after the last reset, the process using a core of
				// two.
				() -> new Advisor.Times(clock.addAndGet(60_000_000_000L), clock.get() / 2, clock.get() / 20_000_000,
						clock.get() / 10_000_000, 2),
				2);
		this.doors.put("http", new Advisor.Reading("executor", 200, 0.3, null));
		this.doors.put("dataSource", new Advisor.Reading("connection-pool", 10, 0.9, null));
		this.doors.put("permits", new Advisor.Reading("semaphore", 4, 0.7, null));
		this.doors.put("jobs", new Advisor.Reading("executor", 8, 0.5, null));
		this.doors.put("orders-lock",
				new Advisor.Reading("lock", 1, 0.5,
						List.of(new HolderSite(List.of("com.acme.Orders.place(Orders.java:42)"), 30, 0.75,
								List.of("http-nio-8080-exec-1")))));
	}

	@Benchmark
	public Map<String, Advice> advise() {
		return this.advisor.advise(this.doors);
	}

}
