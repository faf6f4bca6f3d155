package io.knocker.autoconfigure.requests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.knocker.autoconfigure.WebServers;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.util.ClassUtils;
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
 * latter, so that a busy laptop passes. The meters and the trace keys against the ledger;
 * the keys under OpenTelemetry's convention, the bound on endpoints, async requests and
 * failing ones, each in an application of its own where it needs one.
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
		LastRequest traced = context.getBean(LastRequest.class);
		traced.reset();
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		// The meters go on across resets, or start over where a reset dropped the
		// endpoint: read before and after.
		double poolSecondsBefore = meter(registry, "knocker.request.seconds", "/pool", null);
		double poolWaitedBefore = meter(registry, "knocker.request.waited", "/pool", "dataSource");
		double lockSecondsBefore = meter(registry, "knocker.request.seconds", "/lock", null);
		double lockWaitedBefore = meter(registry, "knocker.request.waited", "/lock", "stock-lock");
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
			.until(() -> booked(ledger) >= sent.sum() && traced.requests() >= sent.sum());
		Map<String, RequestLedger.Endpoint> endpoints = booked(ledger.asMap());
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
		assertThat(booked(ledger)).isEqualTo(sent.sum());
		RequestLedger.Endpoint pool = endpoints.get("GET /pool");
		RequestLedger.Endpoint lock = endpoints.get("GET /lock");
		RequestLedger.Endpoint sleep = endpoints.get("GET /sleep/{millis}");
		double poolTruth = shop.timed("/pool") / pool.getSeconds();
		double lockTruth = shop.timed("/lock") / lock.getSeconds();
		// Far from 0, so that a door that never tells could not pass.
		assertThat(poolTruth).isBetween(0.2, 0.9);
		assertThat(lockTruth).isBetween(0.2, 0.9);
		// Within 0.03 on a quiet machine (0.05 is the target there); beside two spinning
		// loops, 0.06 has been seen, and 0.10 is the target.
		assertThat(pool.getWaited().get("dataSource")).isCloseTo(poolTruth, org.assertj.core.data.Offset.offset(0.1));
		assertThat(lock.getWaited().get("stock-lock")).isCloseTo(lockTruth, org.assertj.core.data.Offset.offset(0.1));
		// Nothing booked on the wrong door: none of them waits there.
		assertThat(pool.getWaited().get("stock-lock")).isBetween(0.0, 0.05);
		assertThat(lock.getWaited().get("dataSource")).isBetween(0.0, 0.05);
		assertThat(sleep.getWaited().get("stock-lock")).isBetween(0.0, 0.05);
		assertThat(sleep.getWaited().get("dataSource")).isBetween(0.0, 0.05);
		PartsAddUp.inTheLedger(endpoints.values());
		for (String uri : List.of("/pool", "/lock", "/sleep/{millis}")) {
			PartsAddUp.inTheMeters(registry, uri);
		}
		// The meters, tagged as http.server.requests is: the requests' time is the
		// endpoint's, and the ratio of their rates (the dashboard's PromQL over the
		// run) is the endpoint's share, which the application timed.
		double poolSeconds = meter(registry, "knocker.request.seconds", "/pool", null) - poolSecondsBefore;
		double poolWaited = meter(registry, "knocker.request.waited", "/pool", "dataSource") - poolWaitedBefore;
		double lockSeconds = meter(registry, "knocker.request.seconds", "/lock", null) - lockSecondsBefore;
		double lockWaited = meter(registry, "knocker.request.waited", "/lock", "stock-lock") - lockWaitedBefore;
		assertThat(poolSeconds).isCloseTo(pool.getSeconds(), org.assertj.core.data.Offset.offset(1e-6));
		assertThat(lockSeconds).isCloseTo(lock.getSeconds(), org.assertj.core.data.Offset.offset(1e-6));
		assertThat(poolWaited / poolSeconds).isCloseTo(pool.getWaited().get("dataSource"),
				org.assertj.core.data.Offset.offset(1e-6));
		assertThat(lockWaited / lockSeconds).isCloseTo(lock.getWaited().get("stock-lock"),
				org.assertj.core.data.Offset.offset(1e-6));
		assertThat(poolWaited / poolSeconds).isCloseTo(poolTruth, org.assertj.core.data.Offset.offset(0.1));
		// The requests' observations got their waits as key values, named apart from
		// @KnockMeasured's: summed over the requests, each door's is the ledger's, less
		// what a look longer than its short request gave the endpoint beyond that
		// request's own time (a trace holds one request): 5-6 % here, where a look stands
		// for about 5 ms of 30 ms requests; 17 % on a busy machine (a build and a
		// spinning
		// loop beside it), whose knocks come late and whose looks stand for more.
		assertThat(traced.keys).contains("knocker.request.wait.dataSource", "knocker.request.wait.stock-lock")
			.noneMatch((key) -> key.startsWith("knocker.waited"));
		assertThat(traced.seconds("/pool", "knocker.request.wait.dataSource")).isLessThan(poolWaited + 1e-3)
			.isCloseTo(poolWaited, org.assertj.core.data.Percentage.withPercentage(25));
		assertThat(traced.seconds("/lock", "knocker.request.wait.stock-lock")).isLessThan(lockWaited + 1e-3)
			.isCloseTo(lockWaited, org.assertj.core.data.Percentage.withPercentage(25));
	}

	/** Requests booked since the last reset. */
	private static long booked(RequestLedger ledger) {
		return ledger.asMap().values().stream().mapToLong(RequestLedger.Endpoint::getRequests).sum();
	}

	/**
	 * The endpoints with requests since the last reset: others may linger until the next.
	 */
	private static Map<String, RequestLedger.Endpoint> booked(Map<String, RequestLedger.Endpoint> endpoints) {
		Map<String, RequestLedger.Endpoint> booked = new TreeMap<>(endpoints);
		booked.values().removeIf((endpoint) -> endpoint.getRequests() == 0);
		return booked;
	}

	/** A request meter's reading, 0 where there is none (yet, or any more). */
	private static double meter(MeterRegistry registry, String name, String uri, String door) {
		Search search = registry.find(name).tags("method", "GET", "uri", uri);
		if (door != null) {
			search = search.tag("door", door);
		}
		FunctionCounter counter = search.functionCounter();
		return (counter != null) ? counter.count() : 0.0;
	}

	@Test
	void theEndpointShowsRequestsButNotItsOwnAndAResetClearsThem() throws Exception {
		get("/sleep/1");
		HttpResponse<String> response = get("/actuator/contention");
		assertThat(response.body()).contains("\"requests\":{").contains("\"GET /sleep/{millis}\":{\"count\":");
		response = get("/actuator/contention");
		assertThat(response.body()).doesNotContain("/actuator/contention");
		// One endpoint alone: its method, then its uri, as the path.
		response = get("/actuator/contention/GET/sleep/%7Bmillis%7D");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).startsWith("{\"count\":").contains("\"rest\":{\"seconds\":");
		assertThat(get("/actuator/contention/GET/sleep/nothing").statusCode()).isEqualTo(404);
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
	void theJvmPartIsThePausesDuringTheRequests() throws Exception {
		RequestLedger ledger = context.getBean(RequestLedger.class);
		Shop shop = context.getBean(Shop.class);
		assertThat(keyOf(context, port, "/gc")).isEqualTo("GET /gc");
		RequestLedger.Endpoint gc = ledger.asMap().get("GET /gc");
		long requests = gc.getRequests();
		double before = gc.totalWaitedSeconds("jvm");
		double timedBefore = shop.timed("/gc");
		long pausesBefore = collectorsPauseMillis();
		long latency = 0;
		for (int i = 1; i <= 5; i++) {
			long start = System.nanoTime();
			assertThat(get("/gc").statusCode()).isEqualTo(200);
			latency += System.nanoTime() - start;
			// Each booked before the next: a server may answer before the request's
			// observation stops.
			long expected = requests + i;
			await().atMost(java.time.Duration.ofSeconds(2)).until(() -> gc.getRequests() == expected);
		}
		double booked = gc.totalWaitedSeconds("jvm") - before;
		double timed = shop.timed("/gc") - timedBefore;
		double pauses = (collectorsPauseMillis() - pausesBefore) / 1e3;
		System.out.printf(
				"jvm: booked %.4f s for five full collections the collectors paused %.4f s for, the handler"
						+ " timed at %.4f s, in requests the client timed at %.4f s%n",
				booked, pauses, timed, latency / 1e9);
		// The collections are most of the handler's time (0.97-0.99 of it seen), not a
		// pause the collectors left out of their record; a young collection between
		// requests may add a little...
		assertThat(pauses).isBetween(0.5 * timed, 1.2 * timed);
		// ...and each pause is booked once, as the collectors' record has it: a pause
		// booked twice reads 2x, one missed reads 0.8x or less. Requests go one at a
		// time, so only a pause between them (none is due at rest) is not theirs.
		assertThat(booked).isBetween(0.9 * pauses, 1.1 * pauses);
	}

	/**
	 * The collectors' own record of their pauses, read by the test from the JVM's beans:
	 * every collector but those that time whole concurrent cycles (ZGC's and Shenandoah's
	 * {@code Cycles}), during which the application runs.
	 */
	private static long collectorsPauseMillis() {
		return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.filter((bean) -> !bean.getName().endsWith("Cycles"))
			.mapToLong((bean) -> Math.max(0, bean.getCollectionTime()))
			.sum();
	}

	@Test
	void aRequestThatFailsIsBookedLikeAnyOther() throws Exception {
		RequestLedger ledger = context.getBean(RequestLedger.class);
		RequestLedger.Endpoint before = ledger.asMap().get("GET /fail");
		long requestsBefore = (before != null) ? before.getRequests() : 0;
		for (int i = 0; i < 3; i++) {
			assertThat(get("/fail").statusCode()).isEqualTo(500);
			assertThat(get("/status/503").statusCode()).isEqualTo(503);
		}
		await().atMost(java.time.Duration.ofSeconds(2))
			.until(() -> ledger.asMap().containsKey("GET /fail")
					&& ledger.asMap().get("GET /fail").getRequests() == requestsBefore + 3);
		RequestLedger.Endpoint failed = ledger.asMap().get("GET /fail");
		assertThat(failed.getWaited()).containsKeys("http", "jvm", "stock-lock", "dataSource");
		await().atMost(java.time.Duration.ofSeconds(2))
			.until(() -> ledger.asMap().containsKey("GET /status/{code}")
					&& ledger.asMap().get("GET /status/{code}").getRequests() >= 3);
	}

	@Test
	void anAsyncRequestsLookedAtDoorsAreAbsentAndItsThreadsLaterWorkIsNotBookedToIt() throws Exception {
		// One worker: the thread that starts an async request serves the lock's requests
		// while the async one runs elsewhere, and ends it when its result is dispatched.
		try (ConfigurableApplicationContext small = shop("tomcat", "--server.tomcat.threads.max=1",
				"--server.tomcat.threads.min-spare=1")) {
			int smallPort = WebServers.port(small);
			RequestLedger ledger = small.getBean(RequestLedger.class);
			ReentrantLock lock = small.getBean(ReentrantLock.class);
			long end = System.nanoTime() + 6_000_000_000L;
			// A holder outside any request keeps the lock's requests waiting, most of
			// their time.
			Thread holder = new Thread(() -> {
				while (System.nanoTime() < end) {
					lock.lock();
					try {
						LockSupport.parkNanos(20_000_000);
					}
					finally {
						lock.unlock();
					}
					LockSupport.parkNanos(2_000_000);
				}
			});
			holder.start();
			List<Thread> clients = new ArrayList<>();
			LongAdder sent = new LongAdder();
			clients(clients, smallPort, "/async", 2, end, sent, new LongAdder());
			clients(clients, smallPort, "/lock", 1, end, sent, new LongAdder());
			for (Thread thread : clients) {
				thread.join();
			}
			holder.join();
			await().atMost(java.time.Duration.ofSeconds(2)).until(() -> booked(ledger) >= sent.sum());
			RequestLedger.Endpoint async = ledger.asMap().get("GET /async");
			RequestLedger.Endpoint locked = ledger.asMap().get("GET /lock");
			double lockTruth = small.getBean(Shop.class).timed("/lock") / locked.getSeconds();
			System.out.printf("async: %d requests %s; lock: %d requests %s, %.3f timed%n", async.getRequests(),
					async.getWaited(), locked.getRequests(), locked.getWaited(), lockTruth);
			// The thread waited at the lock while async requests were open: the lock's
			// requests keep all of that wait (the issue saw 0.647 against 0.768 timed
			// when async requests took their share of it; now -0.04 and +0.06 over 3 s,
			// +0.017 to +0.057 over 6 s: benchmarks/results/session-7dec-4.md)...
			assertThat(lockTruth).isBetween(0.2, 0.9);
			assertThat(locked.getWaited().get("stock-lock")).isCloseTo(lockTruth,
					org.assertj.core.data.Offset.offset(0.1));
			// ...for other requests: the async ones keep their exact parts only.
			assertThat(async.getWaited()).containsOnlyKeys("http", "jvm");
			assertThat(async.getRequests()).isPositive();
		}
	}

	@Test
	void atMostMaxEndpointsAreBookedApartTheRestUnderOtherAndAResetDropsTheIdleOnes() throws Exception {
		try (ConfigurableApplicationContext bounded = shop("tomcat", "--knocker.requests.max-endpoints=2")) {
			int boundedPort = WebServers.port(bounded);
			RequestLedger ledger = bounded.getBean(RequestLedger.class);
			MeterRegistry registry = bounded.getBean(MeterRegistry.class);
			// One at a time, each booked before the next, so that the first two are.
			List<String> keys = new ArrayList<>();
			for (String path : List.of("/sleep/1", "/pool", "/lock", "/gc", "/lock")) {
				keys.add(keyOf(bounded, boundedPort, path));
			}
			assertThat(keys).containsExactly("GET /sleep/{millis}", "GET /pool", "OTHER", "OTHER", "OTHER");
			assertThat(ledger.asMap()).containsOnlyKeys("GET /sleep/{millis}", "GET /pool", "OTHER");
			assertThat(ledger.asMap().get("OTHER").getRequests()).isEqualTo(3);
			assertThat(registry.find("knocker.request.seconds").functionCounters())
				.extracting((counter) -> counter.getId().getTag("uri"))
				.containsExactlyInAnyOrder("/sleep/{millis}", "/pool", "OTHER");
			assertThat(registry.find("knocker.request.waited").tag("door", "jvm").functionCounters())
				.extracting((counter) -> counter.getId().getTag("uri"))
				.containsExactlyInAnyOrder("/sleep/{millis}", "/pool", "OTHER");
			ledger.reset();
			keyOf(bounded, boundedPort, "/sleep/1");
			ledger.reset();
			assertThat(ledger.asMap()).containsOnlyKeys("GET /sleep/{millis}");
			assertThat(registry.find("knocker.request.seconds").functionCounters())
				.extracting((counter) -> counter.getId().getTag("uri"))
				.containsExactly("/sleep/{millis}");
			assertThat(keyOf(bounded, boundedPort, "/lock")).isEqualTo("GET /lock");
			assertThat(ledger.asMap()).containsOnlyKeys("GET /sleep/{millis}", "GET /lock");
		}
	}

	@Test
	@EnabledIf("openTelemetryConventionPresent")
	void openTelemetrysConventionGivesTheDefaultConventionsKeys() throws Exception {
		try (ConfigurableApplicationContext otel = shop("tomcat",
				"--spring.main.sources=" + OpenTelemetryConvention.class.getName())) {
			int otelPort = WebServers.port(otel);
			// OpenTelemetry's keys, not the default's, on the requests' meters.
			get(otelPort, "/sleep/1");
			// The meter is registered as the observation stops, which may be after the
			// response arrived.
			await().atMost(java.time.Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(otel.getBean(MeterRegistry.class).getMeters()).extracting(Meter::getId)
					.anyMatch((id) -> "/sleep/{millis}".equals(id.getTag("http.route")))
					.noneMatch((id) -> id.getName().startsWith("http.server") && id.getTag("uri") != null));
			for (String path : List.of("/sleep/2", "/pool", "/no/such/page", "/fail")) {
				String key = keyOf(otel, otelPort, path);
				assertThat(key).as(path).isEqualTo(keyOf(context, port, path));
			}
			assertThat(keyOf(otel, otelPort, "/sleep/3")).isEqualTo("GET /sleep/{millis}");
		}
	}

	static boolean openTelemetryConventionPresent() {
		return ClassUtils.isPresent(OpenTelemetryConvention.CLASS_NAME, null);
	}

	/** The key the request to a path is booked under, once it is. */
	private static String keyOf(ConfigurableApplicationContext context, int port, String path) throws Exception {
		RequestLedger ledger = context.getBean(RequestLedger.class);
		Map<String, Long> before = new HashMap<>();
		ledger.asMap().forEach((key, endpoint) -> before.put(key, endpoint.getRequests()));
		get(port, path);
		return await().atMost(java.time.Duration.ofSeconds(2))
			.until(() -> ledger.asMap()
				.entrySet()
				.stream()
				.filter((e) -> e.getValue().getRequests() > before.getOrDefault(e.getKey(), 0L))
				.map(Map.Entry::getKey)
				.findFirst()
				.orElse(null), (key) -> key != null);
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

	/**
	 * OpenTelemetry's convention for the requests' observations (Spring Framework 7),
	 * made by name so that the tests compile on every Boot line.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OpenTelemetryConvention {

		static final String CLASS_NAME = "org.springframework.http.server.observation.OpenTelemetryServerRequestObservationConvention";

		@Bean
		ServerRequestObservationConvention openTelemetryServerRequestObservationConvention() throws Exception {
			return (ServerRequestObservationConvention) BeanUtils
				.instantiateClass(ClassUtils.forName(CLASS_NAME, OpenTelemetryConvention.class.getClassLoader()));
		}

	}

	/**
	 * The high-cardinality keys of the requests' observations, as a tracer sees them, and
	 * Knocker's waits summed by endpoint and key.
	 */
	static class LastRequest implements ObservationHandler<Observation.Context> {

		final Set<String> keys = ConcurrentHashMap.newKeySet();

		private final Map<String, DoubleAdder> seconds = new ConcurrentHashMap<>();

		private final LongAdder requests = new LongAdder();

		@Override
		public boolean supportsContext(Observation.Context context) {
			return context instanceof ServerRequestObservationContext;
		}

		@Override
		public void onStop(Observation.Context context) {
			String pattern = ((ServerRequestObservationContext) context).getPathPattern();
			for (KeyValue keyValue : context.getHighCardinalityKeyValues()) {
				this.keys.add(keyValue.getKey());
				if (keyValue.getKey().startsWith(RequestFollower.WAIT_KEY)) {
					this.seconds.computeIfAbsent(pattern + " " + keyValue.getKey(), (key) -> new DoubleAdder())
						.add(Double.parseDouble(keyValue.getValue()));
				}
			}
			this.requests.increment();
		}

		double seconds(String pattern, String key) {
			DoubleAdder sum = this.seconds.get(pattern + " " + key);
			return (sum != null) ? sum.sum() : 0.0;
		}

		long requests() {
			return this.requests.sum();
		}

		void reset() {
			this.keys.clear();
			this.seconds.clear();
			this.requests.reset();
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

		@GetMapping("/gc")
		String gc() {
			long start = System.nanoTime();
			System.gc();
			add("/gc", System.nanoTime() - start);
			return "collected";
		}

		@GetMapping("/fail")
		String fail() {
			throw new IllegalStateException("Failed on purpose");
		}

		@GetMapping("/status/{code}")
		ResponseEntity<String> status(@PathVariable("code") int code) {
			return ResponseEntity.status(code).body("status");
		}

		@GetMapping("/async")
		Callable<String> async() {
			return () -> {
				LockSupport.parkNanos(30_000_000);
				return "async";
			};
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
