package io.knocker.autoconfigure.requests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariDataSource;
import io.knocker.autoconfigure.WebServers;
import io.knocker.autoconfigure.endpoint.ContentionEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Short waits at a connection pool (sub-millisecond holds, as an application's quick
 * queries have), taken apart by the kernel's own count of the requesting thread around
 * each {@code getConnection()}: parked in the pool's queue, runnable but waiting for a
 * core after the hand-off, and on a core (HikariCP's bag spins and hands connections over
 * on the CPU). The pool's share holds the parked part and the wait for a core after the
 * hand-off (the thread reads as parked at the pool until it runs; the kernel counts that
 * wait under {@code cpu} too); the time on a core is the request's own work.
 */
@EnabledOnOs(OS.LINUX)
class PoolShortWaitsTests {

	@Test
	void thePoolsShareOfShortWaitsIsTheTimeParkedInItsQueue() throws Exception {
		try (ConfigurableApplicationContext context = WebServers.on("tomcat", ShortApp.class)
			.run("--server.port=0", "--spring.jmx.enabled=false", "--knocker.sampling-interval=2ms",
					"--knocker.sleeping-interval=8ms", "--management.endpoints.web.exposure.include=contention")) {
			int port = WebServers.port(context);
			Acquisitions truth = context.getBean(Acquisitions.class);
			RequestLedger ledger = context.getBean(RequestLedger.class);
			HttpClient client = HttpClient.newHttpClient();
			RequestsAtConcurrencyTests.get(client, port, "/query");
			await().until(() -> ledger.asMap().containsKey("GET /query"));
			// Eight clients on two connections held 0.3 ms each.
			run(client, port, 2_000);
			ledger.reset();
			truth.reset();
			long sent = run(client, port, 5_000);
			await().atMost(java.time.Duration.ofSeconds(2))
				.until(() -> ledger.asMap().get("GET /query").getRequests() >= sent);
			ContentionEndpoint.RequestsDescriptor query = context.getBean(ContentionEndpoint.class)
				.contention()
				.requests()
				.get("GET /query");
			double seconds = query.seconds();
			double pool = query.waited().get("dataSource").seconds();
			double cpu = query.waited().containsKey("cpu") ? query.waited().get("cpu").seconds() : 0.0;
			System.out.printf(
					"short waits: %d requests, %.3f s; getConnection %.3f s: parked %.3f, waiting for a core %.3f,"
							+ " on a core %.3f (shares %.3f / %.3f / %.3f / %.3f); Knocker: dataSource %.3f (%.3f),"
							+ " cpu %.3f (%.3f)%n",
					query.count(), seconds, truth.wall(), truth.parked(), truth.runQueue(), truth.onCpu(),
					truth.wall() / seconds, truth.parked() / seconds, truth.runQueue() / seconds,
					truth.onCpu() / seconds, pool, pool / seconds, cpu, cpu / seconds);
			// Queueing there is: the pool's share is worth reading.
			assertThat((truth.parked() + truth.runQueue()) / seconds).isGreaterThan(0.1);
			// A look finds the thread at the pool from the moment it parks until it runs
			// again: parked, and woken by the hand-off but not yet on a core (its blocker
			// is cleared only once it runs). Bracketed by the two, 0.03 either side for
			// the
			// looks' sampling.
			assertThat(pool / seconds).isGreaterThan(truth.parked() / seconds - 0.03)
				.isLessThan((truth.parked() + truth.runQueue()) / seconds + 0.03);
		}
	}

	private static long run(HttpClient client, int port, long millis) throws InterruptedException {
		LongAdder sent = new LongAdder();
		long end = System.nanoTime() + millis * 1_000_000;
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			Thread thread = new Thread(() -> {
				while (System.nanoTime() < end) {
					assertThat(RequestsAtConcurrencyTests.get(client, port, "/query")).isEqualTo(200);
					sent.increment();
				}
			});
			thread.start();
			clients.add(thread);
		}
		for (Thread thread : clients) {
			thread.join();
		}
		return sent.sum();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ShortApp {

		@Bean
		HikariDataSource dataSource() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl("jdbc:h2:mem:short;DB_CLOSE_DELAY=-1");
			pool.setMaximumPoolSize(2);
			pool.setMinimumIdle(2);
			return pool;
		}

		@Bean
		Acquisitions acquisitions() {
			return new Acquisitions();
		}

		@Bean
		Queries queries(HikariDataSource dataSource, Acquisitions acquisitions) {
			return new Queries(dataSource, acquisitions);
		}

	}

	@RestController
	static class Queries {

		private final HikariDataSource dataSource;

		private final Acquisitions acquisitions;

		Queries(HikariDataSource dataSource, Acquisitions acquisitions) {
			this.dataSource = dataSource;
			this.acquisitions = acquisitions;
		}

		/** A quick query: a connection held 0.3 ms. */
		@GetMapping("/query")
		String query() throws SQLException {
			long[] before = Acquisitions.schedstat();
			long start = System.nanoTime();
			try (Connection connection = this.dataSource.getConnection()) {
				long got = System.nanoTime();
				long[] after = Acquisitions.schedstat();
				this.acquisitions.add(got - start, after[0] - before[0], after[1] - before[1]);
				LockSupport.parkNanos(300_000);
			}
			return "ok";
		}

	}

	/**
	 * The requests' own {@code getConnection()} calls: wall time, and the kernel's count
	 * of their thread on a core and waiting for one ({@code /proc/thread-self/schedstat},
	 * on a channel each thread keeps); the rest of the wall time the thread was parked.
	 */
	static class Acquisitions {

		private static final ThreadLocal<FileChannel> SCHEDSTAT = ThreadLocal.withInitial(() -> {
			try {
				return FileChannel.open(Path.of("/proc/thread-self/schedstat"), StandardOpenOption.READ);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});

		private final LongAdder wall = new LongAdder();

		private final LongAdder onCpu = new LongAdder();

		private final LongAdder runQueue = new LongAdder();

		static long[] schedstat() {
			ByteBuffer buffer = ByteBuffer.allocate(64);
			try {
				SCHEDSTAT.get().read(buffer, 0);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			String[] fields = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim()
				.split(" ");
			return new long[] { Long.parseLong(fields[0]), Long.parseLong(fields[1]) };
		}

		void add(long wall, long onCpu, long runQueue) {
			this.wall.add(wall);
			this.onCpu.add(onCpu);
			this.runQueue.add(runQueue);
		}

		void reset() {
			this.wall.reset();
			this.onCpu.reset();
			this.runQueue.reset();
		}

		double wall() {
			return this.wall.sum() / 1e9;
		}

		double onCpu() {
			return this.onCpu.sum() / 1e9;
		}

		double runQueue() {
			return this.runQueue.sum() / 1e9;
		}

		double parked() {
			return Math.max(0, wall() - onCpu() - runQueue());
		}

	}

}
