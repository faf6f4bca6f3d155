package io.knocker.autoconfigure.endpoint;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockKnock;
import io.knocker.KnockSnapshot;
import io.knocker.autoconfigure.KnockerLifecycleTests;
import io.knocker.autoconfigure.LockHammer;
import io.knocker.autoconfigure.Knockers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.knocker.autoconfigure.endpoint.Http.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Writing to {@code /actuator/contention} once access is unrestricted. */
@SpringBootTest(classes = ContentionApp.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=contention",
				"management.endpoint.contention.access=unrestricted",
				"knocker.doors.inventory-lock.bean=inventoryLock" })
class ContentionEndpointWriteTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Knockers knockers;

	@Autowired
	private ReentrantLock inventoryLock;

	@AfterEach
	void startAgain() {
		this.knockers.all().forEach(KnockKnock::start);
	}

	@Test
	void resetBringsTheMetricsNearZeroWhileTheCountersGoOn() throws Exception {
		KnockKnock door = this.knockers.get("inventory-lock");
		// The context, and so the door, is shared by the class's tests: start from a
		// clean metric.
		door.resetContentionMetric();
		LockHammer.hammer(this.inventoryLock, 400);
		assertThat(door.getContentionMetric()).isGreaterThan(0.3);
		KnockSnapshot before = door.snapshot();
		// No body (as curl -X POST -H "Content-Type: application/json" sends): reset is
		// the default.
		Map<String, Object> body = Http.json(ok(new Http(this.port).post("/actuator/contention", null)));
		Map<String, Object> lock = map(body, "doors", "inventory-lock");
		assertThat(((Number) lock.get("contentionMetric")).doubleValue()).isLessThan(0.01);
		// The counters were well above zero: a reset that cleared them would fail here.
		assertThat(before.contendedNanos()).isGreaterThan(100_000_000);
		assertThat(((Number) lock.get("contendedSeconds")).doubleValue())
			.isGreaterThanOrEqualTo(before.contendedNanos() / 1e9);
		assertThat(((Number) lock.get("sampledSeconds")).doubleValue())
			.isGreaterThanOrEqualTo(before.sampledNanos() / 1e9);
		assertThat(((Number) lock.get("knocks")).longValue()).isGreaterThanOrEqualTo(before.knocks());
	}

	@Test
	void stopsAndStartsEveryDoor() throws Exception {
		Http http = new Http(this.port);
		Map<String, Object> stopped = Http.json(ok(http.post("/actuator/contention", "{\"action\":\"stop\"}")));
		assertThat(stopped.get("running")).isEqualTo(false);
		assertThat(map(stopped, "doors", "inventory-lock").get("running")).isEqualTo(false);
		assertThat(this.knockers.all()).noneMatch(KnockKnock::isRunning);
		Map<String, Object> started = Http.json(ok(http.post("/actuator/contention", "{\"action\":\"start\"}")));
		assertThat(started.get("running")).isEqualTo(true);
		assertThat(this.knockers.all()).allMatch(KnockKnock::isRunning);
	}

	@Test
	void anUnknownActionIsABadRequestAndChangesNothing() throws Exception {
		KnockKnock door = this.knockers.get("inventory-lock");
		// The context, and so the door, is shared by the class's tests: start from a
		// clean metric.
		door.resetContentionMetric();
		LockHammer.hammer(this.inventoryLock, 400);
		double metric = door.getContentionMetric();
		assertThat(metric).isGreaterThan(0.3);
		HttpResponse<String> response = new Http(this.port).post("/actuator/contention", "{\"action\":\"explode\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.knockers.all()).allMatch(KnockKnock::isRunning);
		// Not reset: only cooled a little by the idle time since.
		assertThat(door.getContentionMetric()).isGreaterThan(metric * 0.5);
	}

	@Test
	void stoppingAndStartingTwentyFiveTimesLeavesTheThreadsAsTheyWere() throws Exception {
		Http http = new Http(this.port);
		ok(http.post("/actuator/contention", "{\"action\":\"start\"}"));
		long knockerThreads = KnockerLifecycleTests.knockerThreads();
		int liveThreads = Thread.activeCount();
		for (int i = 0; i < 25; i++) {
			ok(http.post("/actuator/contention", "{\"action\":\"stop\"}"));
			ok(http.post("/actuator/contention", "{\"action\":\"start\"}"));
		}
		assertThat(KnockerLifecycleTests.knockerThreads()).isEqualTo(knockerThreads);
		// The shared knock loop, and at most a waiting thread per door.
		assertThat(knockerThreads).isBetween(1L, 1L + this.knockers.all().size());
		// Tomcat may add a worker or two for the requests; 50 knocker threads left behind
		// would not fit.
		assertThat(Thread.activeCount()).isLessThan(liveThreads + 10);
	}

	@Test
	void anOversizedBodyIsRefusedUnreadAndChangesNothing() throws Exception {
		KnockKnock door = this.knockers.get("inventory-lock");
		KnockSnapshot before = door.snapshot();
		// Headers only, announcing 100 kB: the refusal needs no byte of the body. (Sent
		// whole, the body raced the server's close after its 413, and HttpClient
		// sometimes lost the answer: "header parser received no bytes".)
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("POST /actuator/contention HTTP/1.1\r\nHost: 127.0.0.1\r\n"
						+ "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String status = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			assertThat(status).startsWith("HTTP/1.1 413 ");
		}
		assertThat(this.knockers.all()).allMatch(KnockKnock::isRunning);
		// Not stopped, not even for a moment: it knocks on.
		await().atMost(Duration.ofSeconds(5)).until(() -> door.snapshot().knocks() > before.knocks());
	}

	@Test
	void malformedJsonIsABadRequestAndChangesNothing() throws Exception {
		HttpResponse<String> response = new Http(this.port).post("/actuator/contention", "{\"action\":");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.knockers.all()).allMatch(KnockKnock::isRunning);
	}

	private static HttpResponse<String> ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response;
	}

}
