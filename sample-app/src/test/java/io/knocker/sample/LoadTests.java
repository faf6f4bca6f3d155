package io.knocker.sample;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.knocker.autoconfigure.measure.MeasuredMethods;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 connections on the measured endpoints for 30 seconds: no errors, every completed
 * request counted exactly once, and the heap back near where it started.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class LoadTests {

	private static final int CONNECTIONS = 64;

	private static final Duration LOAD = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@Autowired
	private MeasuredMethods methods;

	@Test
	void sixtyFourConnectionsForThirtySecondsAreCountedExactly() throws Exception {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		Map<String, Long> callsBefore = calls();
		System.gc();
		long heapBefore = memory.getHeapMemoryUsage().getUsed();
		String[] paths = { "/checkout", "/catalog", "/report?mb=1" };
		String[] methodNames = { "checkout", "catalog", "report" };
		AtomicLong[] completed = { new AtomicLong(), new AtomicLong(), new AtomicLong() };
		AtomicLong errors = new AtomicLong();
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		ExecutorService connections = Executors.newFixedThreadPool(CONNECTIONS);
		long end = System.nanoTime() + LOAD.toNanos();
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < CONNECTIONS; i++) {
				// Mostly checkout and catalog; every eighth connection asks for small
				// reports.
				int endpoint = (i % 8 == 7) ? 2 : i % 2;
				running.add(connections.submit(() -> {
					HttpRequest request = HttpRequest
						.newBuilder(URI.create("http://127.0.0.1:" + this.port + paths[endpoint]))
						.method((endpoint == 0) ? "POST" : "GET", HttpRequest.BodyPublishers.noBody())
						.build();
					while (System.nanoTime() < end) {
						HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
						if (response.statusCode() == 200) {
							completed[endpoint].incrementAndGet();
						}
						else {
							errors.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> connection : running) {
				connection.get();
			}
		}
		finally {
			connections.shutdownNow();
		}
		Map<String, Long> callsAfter = calls();
		System.out.printf("load: checkout %d, catalog %d, report %d, errors %d%n", completed[0].get(),
				completed[1].get(), completed[2].get(), errors.get());
		assertThat(errors.get()).isZero();
		for (int i = 0; i < methodNames.length; i++) {
			String name = methodNames[i];
			assertThat(callsAfter.get(name) - callsBefore.get(name)).as(name).isEqualTo(completed[i].get());
			assertThat(completed[i].get()).as(name).isPositive();
		}
		System.gc();
		long heapAfter = memory.getHeapMemoryUsage().getUsed();
		System.out.printf("heap after GC: before %d MB, after %d MB%n", heapBefore >> 20, heapAfter >> 20);
		// Tomcat, the client and the JIT keep some of what the load made; a leak per
		// request would not fit.
		assertThat(heapAfter).isLessThan(heapBefore + 48 * 1024 * 1024);
	}

	private Map<String, Long> calls() {
		return Map.of("checkout", this.methods.asMap().get("checkout").getCalls(), "catalog",
				this.methods.asMap().get("catalog").getCalls(), "report",
				this.methods.asMap().get("report").getCalls());
	}

}
