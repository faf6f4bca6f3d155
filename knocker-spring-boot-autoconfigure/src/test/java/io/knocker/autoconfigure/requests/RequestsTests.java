package io.knocker.autoconfigure.requests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.knocker.autoconfigure.WebServers;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every request of an application with no Knocker annotation, followed on Tomcat: each
 * endpoint's share waited at each door against the application's own
 * {@code System.nanoTime()} timing of that wait, over the same requests: within 0.05 on a
 * quiet machine, 0.10 beside two spinning loops (the targets); the band is the
 * latter, so that a busy laptop passes.
 */
class RequestsTests {

	private static ConfigurableApplicationContext context;

	private static HttpClient client;

	private static int port;

	@BeforeAll
	static void start() {
		context = shop("tomcat");
		port = WebServers.port(context);
		client = HttpClient.newHttpClient();
	}

	/**
	 * The shop on a server, with a 2 ms window every 10 ms: the same estimate as at the
	 * defaults (a 10 ms window every 110 ms), with five times the windows in the test's
	 * seconds, so that its spread (about 0.035 over 6 s at the defaults) stays well
	 * inside the band.
	 */
	private static ConfigurableApplicationContext shop(String server, String... more) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--knocker.doors.stock-lock.bean=stockLock",
				"--knocker.sampling-interval=2ms", "--knocker.sleeping-interval=8ms",
				"--management.endpoints.web.exposure.include=contention", "--spring.jmx.enabled=false",
				"--spring.datasource.hikari.pool-name=" + server + more.length));
		args.addAll(List.of(more));
		return WebServers.on(server, ShopApp.class).run(args.toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void eachEndpointsWaitIsBookedOnTheRightDoorAsTheApplicationTimedIt() throws Exception {
		eachEndpointsWaitIsBookedOnTheRightDoor(context, port);
	}

	@Test
	void onJettyToo() throws Exception {
		try (ConfigurableApplicationContext jetty = shop("jetty")) {
			eachEndpointsWaitIsBookedOnTheRightDoor(jetty, WebServers.port(jetty));
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void withVirtualThreadsToo() throws Exception {
		try (ConfigurableApplicationContext virtual = shop("tomcat", "--spring.threads.virtual.enabled=true")) {
			eachEndpointsWaitIsBookedOnTheRightDoor(virtual, WebServers.port(virtual));
		}
	}

	private static void eachEndpointsWaitIsBookedOnTheRightDoor(ConfigurableApplicationContext context, int port)
			throws Exception {
		Shop shop = context.getBean(Shop.class);
		RequestLedger ledger = context.getBean(RequestLedger.class);
		// Hikari started and filled first: while it starts, callers block on the data
		// source's monitor, which no door sees.
		get(port, "/pool");
		await().until(() -> context.getBean(HikariDataSource.class).getHikariPoolMXBean().getIdleConnections() == 2);
		ledger.reset();
		shop.reset();
		io.knocker.KnockSnapshot jvmBefore = context.getBean(io.knocker.autoconfigure.Knockers.class)
			.get("jvm")
			.snapshot();
		List<Thread> clients = new ArrayList<>();
		long end = System.nanoTime() + 6_000_000_000L;
		LongAdder sent = new LongAdder();
		LongAdder latency = new LongAdder();
		clients(clients, port, "/pool", 4, end, sent, latency);
		clients(clients, port, "/lock", 3, end, sent, latency);
		clients(clients, port, "/sleep/7", 2, end, sent, latency);
		for (Thread thread : clients) {
			thread.join();
		}
		// A server may send the response before the request's observation stops (Jetty
		// does, now and then): the last bookings can trail the clients by a moment.
		await().atMost(java.time.Duration.ofSeconds(2))
			.until(() -> ledger.asMap().values().stream().mapToLong(RequestLedger.Endpoint::getRequests).sum() >= sent
				.sum());
		Map<String, RequestLedger.Endpoint> endpoints = ledger.asMap();
		System.out
			.println("requests: "
					+ endpoints.entrySet()
						.stream()
						.map((e) -> e.getKey() + " " + e.getValue().getRequests() + " in " + e.getValue().getSeconds()
								+ " s " + e.getValue().getWaited())
						.toList()
					+ "; timed pool " + shop.timed("/pool") + ", lock " + shop.timed("/lock") + "; jvm door "
					+ context.getBean(io.knocker.autoconfigure.Knockers.class)
						.get("jvm")
						.snapshot()
						.contentionSince(jvmBefore));
		// Every request counted once, under its template, never its raw path.
		assertThat(endpoints).containsOnlyKeys("GET /pool", "GET /lock", "GET /sleep/{millis}");
		assertThat(endpoints.values().stream().mapToLong(RequestLedger.Endpoint::getRequests).sum())
			.isEqualTo(sent.sum());
		RequestLedger.Endpoint pool = endpoints.get("GET /pool");
		RequestLedger.Endpoint lock = endpoints.get("GET /lock");
		RequestLedger.Endpoint sleep = endpoints.get("GET /sleep/{millis}");
		double poolTruth = shop.timed("/pool") / pool.getSeconds();
		double lockTruth = shop.timed("/lock") / lock.getSeconds();
		// Far from 0, so that a door that never tells could not pass.
		assertThat(poolTruth).isGreaterThan(0.2);
		assertThat(lockTruth).isGreaterThan(0.2);
		// Within 0.03 on a quiet machine (0.05 is the target there); beside two spinning
		// loops, 0.06 has been seen, and 0.10 is the target.
		assertThat(pool.getWaited().get("dataSource")).isCloseTo(poolTruth, org.assertj.core.data.Offset.offset(0.1));
		assertThat(lock.getWaited().get("stock-lock")).isCloseTo(lockTruth, org.assertj.core.data.Offset.offset(0.1));
		// Nothing booked on the wrong door.
		assertThat(pool.getWaited().get("stock-lock")).isLessThan(0.05);
		assertThat(lock.getWaited().get("dataSource")).isLessThan(0.05);
		assertThat(sleep.getWaited().get("stock-lock")).isLessThan(0.05);
		assertThat(sleep.getWaited().get("dataSource")).isLessThan(0.05);
		// The jvm door is there for every endpoint: pauses, exactly.
		assertThat(sleep.getWaited()).containsKey("jvm");
		// The meter, tagged as http.server.requests is.
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		assertThat(registry.find("knocker.request.waited")
			.tags("method", "GET", "uri", "/pool", "door", "dataSource")
			.functionCounter()
			.count()).isGreaterThan(0.5 * shop.timed("/pool"));
		assertThat(registry.find("http.server.requests").tags("uri", "/pool").timer()).isNotNull();
		// The request's observation got its waits as key values.
		assertThat(context.getBean(LastRequest.class).keys).anyMatch((key) -> key.startsWith("knocker.waited."));
	}

	@Test
	void theEndpointShowsRequestsButNotItsOwnAndAResetClearsThem() throws Exception {
		get("/sleep/1");
		HttpResponse<String> response = get("/actuator/contention");
		assertThat(response.body()).contains("\"requests\":{").contains("\"GET /sleep/{millis}\":{\"requests\":");
		response = get("/actuator/contention");
		assertThat(response.body()).doesNotContain("/actuator/contention");
		context.getBean(RequestLedger.class).reset();
		assertThat(context.getBean(RequestLedger.class).asMap().get("GET /sleep/{millis}").getRequests()).isZero();
	}

	@Test
	void aRequestsQueueForAWorkerIsItsHttpWaitStampedAtTheHandOff() throws Exception {
		// Two workers, eight clients, 20 ms requests: each request queues for about three
		// others' time.
		theHttpWaitIsTheQueue("tomcat", "--server.tomcat.threads.max=2", "--server.tomcat.threads.min-spare=2");
	}

	@Test
	void onJettyTheHttpWaitIsTheQueueToo() throws Exception {
		// Jetty leases one thread to its acceptor and one to its selector: two workers.
		theHttpWaitIsTheQueue("jetty", "--server.jetty.threads.max=4", "--server.jetty.threads.min=4",
				"--server.jetty.threads.acceptors=1", "--server.jetty.threads.selectors=1");
	}

	private static void theHttpWaitIsTheQueue(String server, String... threads) throws Exception {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.jmx.enabled=false",
				"--spring.datasource.hikari.pool-name=small-" + server));
		args.addAll(List.of(threads));
		try (ConfigurableApplicationContext small = WebServers.on(server, ShopApp.class)
			.run(args.toArray(String[]::new))) {
			int smallPort = WebServers.port(small);
			Shop shop = small.getBean(Shop.class);
			LongAdder latency = new LongAdder();
			List<Thread> clients = new ArrayList<>();
			clients(clients, smallPort, "/sleep/20", 8, System.nanoTime() + 4_000_000_000L, new LongAdder(), latency);
			for (Thread thread : clients) {
				thread.join();
			}
			RequestLedger.Endpoint sleep = small.getBean(RequestLedger.class).asMap().get("GET /sleep/{millis}");
			// The clients' latency less the server's own time in the handler: the queue,
			// and the little the server does outside the handler, loopback and client.
			double queued = (latency.sum() / 1e9) - shop.handled();
			double truth = queued / sleep.getSeconds();
			System.out.printf(
					"http (%s): %d requests in %.2f s, waited %.3f; clients' latency less handler time %.3f%n", server,
					sleep.getRequests(), sleep.getSeconds(), sleep.getWaited().get("http"), truth);
			assertThat(truth).isGreaterThan(0.3);
			// The truth also holds loopback and the clients' own time, more of it on a
			// busy machine: 0.04 above the stamp on a quiet one, 0.064 beside two
			// spinning loops (the target there is 0.10).
			assertThat(sleep.getWaited().get("http")).isBetween(truth - 0.1, truth + 0.05);
		}
	}

	@Test
	void aWebFluxRequestGetsTheExactPartsOnlyItsLookedAtDoorsAreAbsentNeverZero() throws Exception {
		try (ConfigurableApplicationContext reactive = WebServers.on("netty", ShopApp.class)
			.run("--server.port=0", "--knocker.doors.stock-lock.bean=stockLock", "--spring.jmx.enabled=false",
					"--spring.datasource.hikari.pool-name=reactive", "--spring.main.web-application-type=reactive")) {
			int reactivePort = WebServers.port(reactive);
			for (int i = 0; i < 5; i++) {
				assertThat(client
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + reactivePort + "/sleep/5")).build(),
							HttpResponse.BodyHandlers.discarding())
					.statusCode()).isEqualTo(200);
			}
			RequestLedger ledger = reactive.getBean(RequestLedger.class);
			await().until(() -> ledger.asMap().containsKey("GET /sleep/{millis}")
					&& ledger.asMap().get("GET /sleep/{millis}").getRequests() == 5);
			// Its thread is an event loop's, shared: no look at it means anything.
			assertThat(ledger.asMap().get("GET /sleep/{millis}").getWaited()).containsOnlyKeys("jvm");
		}
	}

	@Test
	void aTracesWaitsAreSecondsToTheMicrosecond() {
		assertThat(RequestFollower.Followed.seconds(12_345_678)).isEqualTo("0.012346");
		assertThat(RequestFollower.Followed.seconds(1_500_000_000)).isEqualTo("1.500000");
		assertThat(RequestFollower.Followed.seconds(400)).isEqualTo("0.000000");
		assertThat(RequestFollower.Followed.seconds(62_000_001_000L)).isEqualTo("62.000001");
	}

	/**
	 * Clients that send GET requests until {@code end}, counting them and their latency.
	 */
	private static void clients(List<Thread> clients, int port, String path, int count, long end, LongAdder sent,
			LongAdder latency) {
		for (int i = 0; i < count; i++) {
			Thread thread = new Thread(() -> {
				while (System.nanoTime() < end) {
					long started = System.nanoTime();
					try {
						assertThat(get(port, path).statusCode()).isEqualTo(200);
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
					latency.add(System.nanoTime() - started);
					sent.increment();
				}
			});
			thread.start();
			clients.add(thread);
		}
	}

	private static HttpResponse<String> get(String path) throws Exception {
		return get(port, path);
	}

	private static HttpResponse<String> get(int port, String path) throws Exception {
		return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ShopApp {

		@Bean
		HikariDataSource dataSource() {
			HikariDataSource pool = new HikariDataSource();
			pool.setJdbcUrl("jdbc:h2:mem:requests;DB_CLOSE_DELAY=-1");
			pool.setMaximumPoolSize(2);
			pool.setMinimumIdle(2);
			return pool;
		}

		@Bean
		ReentrantLock stockLock() {
			return new ReentrantLock();
		}

		@Bean
		Shop shop(DataSource dataSource, ReentrantLock stockLock) {
			return new Shop(dataSource, stockLock);
		}

		@Bean
		LastRequest lastRequest() {
			return new LastRequest();
		}

	}

	/** The high-cardinality keys of the requests' observations, as a tracer sees them. */
	static class LastRequest implements ObservationHandler<Observation.Context> {

		final Set<String> keys = ConcurrentHashMap.newKeySet();

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof ServerRequestObservationContext;
		}

		@Override
		public void onStop(Observation.Context context) {
			for (KeyValue keyValue : context.getHighCardinalityKeyValues()) {
				this.keys.add(keyValue.getKey());
			}
		}

	}

	/** Endpoints that time their own waits with System.nanoTime(). */
	@RestController
	static class Shop {

		private final DataSource dataSource;

		private final ReentrantLock stockLock;

		private final Map<String, LongAdder> waited = new ConcurrentHashMap<>();

		private final LongAdder handled = new LongAdder();

		Shop(DataSource dataSource, ReentrantLock stockLock) {
			this.dataSource = dataSource;
			this.stockLock = stockLock;
		}

		@GetMapping("/pool")
		String pool() throws SQLException {
			long start = System.nanoTime();
			try (Connection connection = this.dataSource.getConnection()) {
				add("/pool", System.nanoTime() - start);
				LockSupport.parkNanos(20_000_000);
			}
			return "pool";
		}

		@GetMapping("/lock")
		String lock() {
			long start = System.nanoTime();
			this.stockLock.lock();
			try {
				add("/lock", System.nanoTime() - start);
				LockSupport.parkNanos(10_000_000);
			}
			finally {
				this.stockLock.unlock();
			}
			return "lock";
		}

		@GetMapping("/sleep/{millis}")
		String sleep(@PathVariable("millis") long millis) {
			long start = System.nanoTime();
			LockSupport.parkNanos(millis * 1_000_000);
			this.handled.add(System.nanoTime() - start);
			return "slept";
		}

		/** Seconds spent in the sleeping handler. */
		double handled() {
			return this.handled.sum() / 1e9;
		}

		private void add(String path, long nanos) {
			this.waited.computeIfAbsent(path, (key) -> new LongAdder()).add(nanos);
		}

		/** Seconds the endpoint's requests waited, as they timed it. */
		double timed(String path) {
			LongAdder waited = this.waited.get(path);
			return (waited != null) ? waited.sum() / 1e9 : 0.0;
		}

		void reset() {
			this.waited.clear();
		}

	}

}
