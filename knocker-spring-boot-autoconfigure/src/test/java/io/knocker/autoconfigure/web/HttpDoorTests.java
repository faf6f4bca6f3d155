package io.knocker.autoconfigure.web;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.knocker.KnockKnock;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.WebServers;
import io.knocker.autoconfigure.requests.HandOffStamp;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The http door on real servers: a new request's wait for a worker thread, high when the
 * pool is saturated, low at rest, and quiet through a graceful shutdown under load.
 */
@ExtendWith(OutputCaptureExtension.class)
class HttpDoorTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty" })
	void aSaturatedRequestPoolReadsHighAndAnIdleOneLow(String server, CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start(server);
		try {
			Knockers knockers = context.getBean(Knockers.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> knockers.get("http") != null);
			KnockKnock http = knockers.get("http");
			// A door that appeared late has its meters too.
			assertThat(context.getBean(MeterRegistry.class).find("knocker.contention").tag("door", "http").gauge())
				.isNotNull();
			// And in the endpoint.
			int port = WebServers.port(context);
			HttpResponse<String> door = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/contention/http"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(door.statusCode()).isEqualTo(200);
			assertThat(door.body()).contains("\"kind\":\"executor\"");
			// At rest: about 10 windows, a request pool that is all idle threads, looked
			// into before each knock and never handed anything (Tomcat counts what it
			// ran).
			// The endpoint's request above counts once its task has ended, which may be
			// after its response arrived.
			Thread.sleep(300);
			long ran = tomcatTasksRun(context);
			long knocks = http.snapshot().knocks();
			Thread.sleep(1200);
			double rest = http.getContentionMetric();
			if ("tomcat".equals(server)) {
				assertThat(http.snapshot().knocks() - knocks).isGreaterThan(20);
				assertThat(tomcatTasksRun(context) - ran).isZero();
			}
			http.resetContentionMetric();
			SlowApp.mostAtOnce.set(0);
			try (Clients clients = new Clients(port, 12)) {
				// Twelve clients on 50 ms requests against two (Tomcat) or few (Jetty)
				// workers.
				Thread.sleep(1500);
			}
			double saturated = http.getContentionMetric();
			System.out.printf("http door on %s: rest %.4f, saturated %.3f (busyRatio %.3f)%n", server, rest, saturated,
					http.getBusyRatio());
			// Idle workers take a no-op in tens of microseconds; the band leaves room for
			// a busy machine.
			assertThat(rest).isLessThan(0.25);
			assertThat(saturated).isGreaterThan(0.5);
			// Its capacity, which advice sizes from, is how many requests ran at once
			// with
			// more waiting: not Jetty's maximum, which counts the threads its acceptor
			// and
			// selectors lease (6 read where 4 ran).
			System.out.printf("http door on %s: capacity %d, most requests at once %d%n", server,
					http.getDoor().capacity(), SlowApp.mostAtOnce.get());
			assertThat(http.getDoor().capacity()).isEqualTo(SlowApp.mostAtOnce.get());
		}
		finally {
			context.close();
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty" })
	void aGracefulShutdownUnderLoadLogsNoFailedKnock(String server, CapturedOutput output) throws Exception {
		// Knocking all the time, every 100 us, so that any knock after the pool shuts
		// down shows.
		ConfigurableApplicationContext context = start(server, "server.shutdown=graceful",
				"knocker.sleeping-interval=0ms", "knocker.polling-interval=100us");
		Knockers knockers = context.getBean(Knockers.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> knockers.get("http") != null);
		KnockKnock http = knockers.get("http");
		int port = WebServers.port(context);
		try (Clients clients = new Clients(port, 12)) {
			Thread.sleep(500);
			context.close();
		}
		assertThat(http.isRunning()).isFalse();
		assertThat(http.getFailedKnocks()).isZero();
		assertThat(output).doesNotContain("failed to knock");
	}

	/** Tasks Tomcat's request pool has run; -1 on another server. */
	private static long tomcatTasksRun(ConfigurableApplicationContext context) {
		Object server = WebServers.of(context);
		// By name: Tomcat's web server class is named differently on each Boot line.
		Method getTomcat = ReflectionUtils.findMethod(server.getClass(), "getTomcat");
		if (getTomcat == null) {
			return -1;
		}
		Tomcat tomcat = (Tomcat) ReflectionUtils.invokeMethod(getTomcat, server);
		// Behind the requests' hand-off stamp.
		return ((org.apache.tomcat.util.threads.ThreadPoolExecutor) HandOffStamp
			.unwrap(tomcat.getConnector().getProtocolHandler().getExecutor())).getCompletedTaskCount();
	}

	private static ConfigurableApplicationContext start(String server, String... properties) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--server.tomcat.threads.max=2", "--server.tomcat.threads.min-spare=1", "--server.jetty.threads.max=6",
				"--server.jetty.threads.min=2", "--management.endpoints.web.exposure.include=contention"));
		for (String property : properties) {
			args.add("--" + property);
		}
		ConfigurableApplicationContext context = WebServers.on(server, SlowApp.class).run(args.toArray(new String[0]));
		assertThat(WebServers.of(context).getClass().getSimpleName()).startsWithIgnoringCase(server);
		return context;
	}

	/** Clients that each send requests back to back until closed. */
	static final class Clients implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final List<Thread> threads = new ArrayList<>();

		Clients(int port, int count) {
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow"))
				.timeout(Duration.ofSeconds(5))
				.build();
			for (int i = 0; i < count; i++) {
				Thread thread = new Thread(() -> {
					while (this.running.get()) {
						try {
							client.send(request, HttpResponse.BodyHandlers.discarding());
						}
						catch (Exception ex) {
							// The server is going away: stop.
							return;
						}
					}
				});
				thread.setDaemon(true);
				thread.start();
				this.threads.add(thread);
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join(10_000);
			}
		}

	}

}
