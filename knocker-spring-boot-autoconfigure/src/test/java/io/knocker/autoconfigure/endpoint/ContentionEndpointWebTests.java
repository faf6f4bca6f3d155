package io.knocker.autoconfigure.endpoint;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.WebServers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static io.knocker.autoconfigure.endpoint.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/contention} over real HTTP, with the library's default (read-only)
 * access.
 */
@SpringBootTest(classes = ContentionApp.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"management.endpoints.web.exposure.include=contention", "knocker.doors.inventory-lock.bean=inventoryLock" })
class ContentionEndpointWebTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ContentionApp.Orders orders;

	@Autowired
	private Knockers knockers;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private ReentrantLock inventoryLock;

	@Test
	void readsTheContractsJsonAfterAMeasuredCall() throws Exception {
		this.orders.place();
		Map<String, Object> body = new Http(this.port).getJson("/actuator/contention");
		assertThat(body).containsOnlyKeys("running", "contentionMetric", "doors", "methods", "requests", "advice");
		assertThat(body.get("running")).isEqualTo(true);
		// The configured door, and those the application has: its request pool and task
		// executor, and on Spring Boot 3.5 (whose DataSource auto-configuration is
		// always there) the H2 pool the test classpath makes.
		List<String> doors = new ArrayList<>(List.of("jvm", "inventory-lock", "http", "applicationTaskExecutor"));
		if (this.knockers.get("dataSource") != null) {
			doors.add("dataSource");
		}
		assertThat(map(body, "doors")).containsOnlyKeys(doors);
		// Advice on every door that has a size, and the CPU; a second in, too little to
		// go
		// on.
		List<String> advised = new ArrayList<>(doors.subList(1, doors.size()));
		advised.add("cpu");
		assertThat(map(body, "advice")).containsOnlyKeys(advised);
		assertThat(map(body, "advice", "inventory-lock")).containsEntry("verdict", "too-little-measured")
			.containsEntry("capacity", 1);
		// The server that runs names the property, whatever else is on the class path
		// (Spring Boot 4 starts Jetty here, 3.5 Tomcat); Jetty's capacity leaves out the
		// threads its acceptor and selectors lease.
		String server = WebServers.of(this.context).getClass().getSimpleName();
		Map<String, Object> workers = map(body, "advice", "http");
		if (server.startsWith("Jetty")) {
			assertThat(workers).containsEntry("setting", "server.jetty.threads.max");
			assertThat((Integer) workers.get("capacity")).isBetween(190, 199);
		}
		else {
			assertThat(workers).containsEntry("capacity", 200).containsEntry("setting", "server.tomcat.threads.max");
		}
		if (doors.contains("dataSource")) {
			// Spring Boot's own pool: its property sets the size.
			assertThat(map(body, "advice", "dataSource")).containsEntry("setting",
					"spring.datasource.hikari.maximum-pool-size");
		}
		Map<String, Object> jvm = map(body, "doors", "jvm");
		assertThat(jvm).containsOnlyKeys("running", "kind", "contentionMetric", "recentContentionMetric", "busyRatio",
				"knocks", "contendedSeconds", "sampledSeconds", "pollingInterval", "samplingInterval",
				"sleepingInterval", "timeout", "failedKnocks", "gcPauseSeconds", "gcPauses");
		assertThat(jvm.get("kind")).isEqualTo("jvm");
		// The pause figures are the jvm door's alone.
		assertThat(map(body, "doors", "inventory-lock")).containsEntry("kind", "lock")
			.containsEntry("failedKnocks", 0)
			.doesNotContainKeys("gcPauseSeconds", "gcPauses");
		assertThat(jvm.get("pollingInterval")).isEqualTo("PT0.001S");
		assertThat(jvm.get("timeout")).isEqualTo("PT0.101S");
		// A share of time: the time contended over the time sampled that the same reading
		// shows (no reset yet; the two are read a moment apart, so not to the last
		// digit), whatever this machine's load makes of it.
		double contended = ((Number) jvm.get("contendedSeconds")).doubleValue();
		double sampled = ((Number) jvm.get("sampledSeconds")).doubleValue();
		assertThat(sampled).isGreaterThan(0.0);
		assertThat(((Number) jvm.get("contentionMetric")).doubleValue()).isCloseTo(contended / sampled,
				org.assertj.core.data.Offset.offset(0.02));
		assertThat(body.get("contentionMetric")).isInstanceOf(Number.class);
		Map<String, Object> place = map(body, "methods", "Orders.place");
		assertThat(place).containsKeys("door", "calls", "sampledCalls", "lastContention", "meanContention",
				"maxContention", "lastWaited", "meanWaited", "maxWaited");
		assertThat(place.get("door")).isEqualTo("jvm");
		assertThat(((Number) place.get("calls")).longValue()).isGreaterThanOrEqualTo(1);
		assertThat(map(body, "doors", "inventory-lock").get("running")).isEqualTo(true);
	}

	@Test
	void readsOneDoorOrMethodByName() throws Exception {
		this.orders.place();
		Http http = new Http(this.port);
		assertThat(http.getJson("/actuator/contention/inventory-lock")).containsEntry("running", true)
			.containsEntry("pollingInterval", "PT0.001S");
		assertThat(http.getJson("/actuator/contention/Orders.place")).containsEntry("door", "jvm");
		assertThat(http.get("/actuator/contention/no-such-door").statusCode()).isEqualTo(404);
	}

	@Test
	void aLockDoorByNameSaysWhoHoldsIt() throws Exception {
		ReentrantLock lock = this.inventoryLock;
		Thread holder = new Thread(() -> {
			long end = System.nanoTime() + 8_000_000_000L;
			while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
				lock.lock();
				try {
					reserveStock();
				}
				finally {
					lock.unlock();
				}
				LockSupport.parkNanos(1_000_000);
			}
		}, "stock-keeper");
		holder.start();
		try {
			Http http = new Http(this.port);
			await().atMost(Duration.ofSeconds(8))
				.until(() -> !((List<?>) http.getJson("/actuator/contention/inventory-lock").get("holders")).isEmpty());
			Map<String, Object> door = http.getJson("/actuator/contention/inventory-lock");
			@SuppressWarnings("unchecked")
			Map<String, Object> top = ((List<Map<String, Object>>) door.get("holders")).get(0);
			assertThat(top).containsOnlyKeys("frames", "samples", "share", "threads");
			assertThat((List<?>) top.get("frames")).anyMatch((frame) -> frame.toString().contains("reserveStock("));
			assertThat(top.get("threads")).isEqualTo(List.of("stock-keeper"));
			// The overview stays small: no holders there.
			assertThat(map(http.getJson("/actuator/contention"), "doors", "inventory-lock"))
				.doesNotContainKey("holders");
			// Nor on doors that have no owner to name.
			assertThat(http.getJson("/actuator/contention/jvm")).doesNotContainKey("holders");
		}
		finally {
			holder.interrupt();
			holder.join();
		}
	}

	static void reserveStock() {
		LockSupport.parkNanos(20_000_000);
	}

	@Test
	void refusesWritesUnderDefaultAccess() throws Exception {
		Http http = new Http(this.port);
		long knocks = this.knockers.get("jvm").snapshot().knocks();
		HttpResponse<String> response = http.post("/actuator/contention", "{\"action\":\"stop\"}");
		assertThat(response.statusCode()).isBetween(400, 499);
		assertThat(this.knockers.all()).allMatch((knocker) -> knocker.isRunning());
		// Not stopped, not even for a moment: it knocks on.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.knockers.get("jvm").snapshot().knocks() > knocks);
	}

}
