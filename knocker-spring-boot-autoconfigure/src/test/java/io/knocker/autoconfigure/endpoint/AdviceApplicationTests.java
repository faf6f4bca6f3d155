package io.knocker.autoconfigure.endpoint;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariDataSource;
import io.knocker.autoconfigure.WebServers;
import io.knocker.autoconfigure.requests.RequestLedger;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The advice on a real application under load: a pool of two connections that requests
 * queue for, first holding each connection asleep (the pool is where they wait: grow it,
 * to the size named, through Spring Boot's property), then, grown to as many connections
 * as cores, burning CPU while holding one with more clients than cores (more connections
 * would only move the wait to the CPU: the advice names the CPU, never a larger pool).
 * Each load lasts the 11 s advice needs.
 */
class AdviceApplicationTests {

	private static final long LOAD_NANOS = 11_000_000_000L;

	@Test
	void aPoolRequestsQueueForIsToldToGrowAndACpuBoundOneIsNot() throws Exception {
		try (ConfigurableApplicationContext context = WebServers.on("tomcat", PoolApp.class)
			.run("--server.port=0", "--spring.jmx.enabled=false",
					"--management.endpoints.web.exposure.include=contention")) {
			int port = WebServers.port(context);
			ContentionEndpoint endpoint = context.getBean(ContentionEndpoint.class);
			HttpClient client = HttpClient.newHttpClient();
			get(client, port, "/sleep").join();
			await().until(() -> context.getBean(RequestLedger.class).asMap().containsKey("GET /sleep"));

			// Open loop, 70 a second, 20 ms holds on average: the pool busy 70 % of the
			// time.
			endpoint.act("reset");
			openLoop(client, port, "/sleep", 70);
			Map<String, Advice> asleep = endpoint.contention().advice();
			Advice pool = asleep.get("dataSource");
			System.out.println("asleep: " + pool + "; cpu " + asleep.get("cpu"));
			assertThat(pool.capacity()).isEqualTo(2);
			assertThat(pool.endpoints()).containsKey("GET /sleep");
			// On a machine whose cores other work keeps busy (a build beside the test),
			// requests that wait a tenth of their time for a core are not sent to a
			// larger pool.
			if (asleep.get("cpu").waitedShare() < Advisor.CPU_WAITED - 0.02) {
				assertThat(pool.verdict()).isEqualTo("grow");
				// A pool of the application's own: Spring Boot's property would not set
				// it.
				assertThat(pool.setting()).isNull();
				assertThat(pool.advised()).isGreaterThan(2);
				assertThat(pool.predictions().get(0).size()).isEqualTo(3);
				assertThat(pool.predictions().get(0).share()).isLessThan(pool.waitedShare());
				assertThat(pool.says()).contains("With " + pool.advised() + ", under 5");
			}
			else if (asleep.get("cpu").waitedShare() > Advisor.CPU_WAITED + 0.02) {
				assertThat(pool.verdict()).isEqualTo("cpu-bound");
			}

			// As many connections as cores, three clients per core burning 8 ms of CPU
			// each
			// while holding a connection: the cores, not the pool, are what they queue
			// for
			// (on any machine: a pool of two on eight cores would be right to grow).
			int cores = Runtime.getRuntime().availableProcessors();
			context.getBean(HikariDataSource.class).getHikariConfigMXBean().setMaximumPoolSize(Math.max(2, cores));
			endpoint.act("reset");
			closedLoop(client, port, "/burn", 3 * Math.max(2, cores));
			Map<String, Advice> burning = endpoint.contention().advice();
			Advice busy = burning.get("dataSource");
			System.out.println("burning: " + busy + "; cpu " + burning.get("cpu"));
			assertThat(busy.verdict()).isEqualTo("cpu-bound");
			assertThat(busy.predictions()).isNull();
			assertThat(busy.advised()).isNull();
			assertThat(busy.capacity()).isEqualTo(Math.max(2, cores));
			assertThat(busy.says()).contains("CPU");
			// The CPU's own advice: more cores, or, where other work takes a fifth of
			// them
			// (a build beside the test), less beside it.
			assertThat(burning.get("cpu").verdict()).isIn("grow", "shared-cores");
		}
	}

	private static void openLoop(HttpClient client, int port, String path, double perSecond) {
		Random random = new Random(42);
		List<CompletableFuture<Integer>> sent = new ArrayList<>();
		long start = System.nanoTime();
		long next = start;
		while (next - start < LOAD_NANOS) {
			next += (long) (-Math.log(1 - random.nextDouble()) / perSecond * 1e9);
			LockSupport.parkNanos(next - System.nanoTime());
			sent.add(get(client, port, path));
		}
		sent.forEach((response) -> assertThat(response.join()).isEqualTo(200));
	}

	private static void closedLoop(HttpClient client, int port, String path, int clients) throws Exception {
		long end = System.nanoTime() + LOAD_NANOS;
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			Thread thread = new Thread(() -> {
				while (System.nanoTime() < end) {
					assertThat(get(client, port, path).join()).isEqualTo(200);
				}
			});
			thread.start();
			threads.add(thread);
		}
		for (Thread thread : threads) {
			thread.join();
		}
	}

	private static CompletableFuture<Integer> get(HttpClient client, int port, String path) {
		return client
			.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.thenApply(HttpResponse::statusCode);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PoolApp {

		@Bean
		HikariDataSource dataSource() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl("jdbc:h2:mem:advice;DB_CLOSE_DELAY=-1");
			pool.setMaximumPoolSize(2);
			pool.setMinimumIdle(2);
			return pool;
		}

		@Bean
		Orders orders(HikariDataSource dataSource) {
			return new Orders(dataSource);
		}

	}

	@RestController
	static class Orders {

		private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

		private final HikariDataSource dataSource;

		private final Random random = new Random(7);

		Orders(HikariDataSource dataSource) {
			this.dataSource = dataSource;
		}

		/** Holds a connection asleep, 20 ms on average (exponential). */
		@GetMapping("/sleep")
		String sleep() throws SQLException {
			long hold = (long) (-Math.log(1 - this.random.nextDouble()) * 20_000_000);
			try (Connection connection = this.dataSource.getConnection()) {
				LockSupport.parkNanos(hold);
			}
			return "slept";
		}

		/** Holds a connection while burning 8 ms of its thread's CPU. */
		@GetMapping("/burn")
		String burn() throws SQLException {
			try (Connection connection = this.dataSource.getConnection()) {
				long end = threads.getCurrentThreadCpuTime() + 8_000_000;
				while (threads.getCurrentThreadCpuTime() < end) {
					Thread.onSpinWait();
				}
			}
			return "burnt";
		}

	}

}
