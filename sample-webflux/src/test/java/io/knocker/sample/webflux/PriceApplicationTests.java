package io.knocker.sample.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockKnock;
import io.knocker.autoconfigure.Knockers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WebFlux sample over real HTTP on Reactor Netty: reactive quotes are measured to
 * their end, and a report computed on an event loop shows on the door {@code event-loop}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PriceApplicationTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private WebServerApplicationContext context;

	@Autowired
	private Knockers knockers;

	@Autowired
	private ReentrantLock priceLock;

	@Test
	void runsOnReactorNettyWithTheEventLoopDoorAndNoHttpDoor() throws Exception {
		assertThat(this.context.getWebServer().getClass().getSimpleName()).isEqualTo("NettyWebServer");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.knockers.get("event-loop") != null);
		Map<String, Object> contention = json(send("/actuator/contention"));
		// The configured lock, and the doors the application already has: its event loops
		// and Boot's task executor (there for @Async, even in a reactive application).
		assertThat(map(contention, "doors")).containsOnlyKeys("jvm", "price-lock", "event-loop",
				"applicationTaskExecutor");
		assertThat(map(map(contention, "methods"), "quote")).containsEntry("door", "price-lock");
		HttpResponse<String> prometheus = send("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("knocker_contended_seconds_total{door=\"event-loop\"}");
	}

	@Test
	void aQuoteIsMeasuredUntilItsMonoCompletesNotWhenTheMethodReturns() throws Exception {
		Map<String, Object> before = quoteMethod();
		CompletableFuture<HttpResponse<String>> quote;
		this.priceLock.lock();
		try {
			quote = sendAsync("/quotes/kettle");
			// The method returns its Mono at once; the Mono waits here for the lock.
			Thread.sleep(400);
			assertThat(quote).isNotDone();
		}
		finally {
			this.priceLock.unlock();
		}
		assertThat(quote.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		Map<String, Object> after = quoteMethod();
		System.out.printf("a quote waiting 400 ms on the held price lock: %.3f%n", number(after, "lastContention"));
		assertThat(number(after, "calls")).isEqualTo(number(before, "calls") + 1);
		// Measured when the method returned, the call would last microseconds and not be
		// sampled at all; measured to the Mono's end, it spans four windows, the door
		// held through them but for the last few milliseconds.
		assertThat(number(after, "sampledCalls")).isEqualTo(number(before, "sampledCalls") + 1);
		assertThat(number(after, "lastContention")).isGreaterThan(0.7);
	}

	@Test
	void aQuoteThatErrorsIsAFailedCall() throws Exception {
		Map<String, Object> before = quoteMethod();
		HttpResponse<String> response = send("/quotes/samovar");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).isEqualTo("No price for 'samovar'");
		assertThat(number(quoteMethod(), "failedCalls")).isEqualTo(number(before, "failedCalls") + 1);
	}

	@Test
	void concurrentQuotesQueueOnThePriceLock() throws Exception {
		KnockKnock door = this.knockers.get("price-lock");
		door.resetContentionMetric();
		ExecutorService clients = Executors.newFixedThreadPool(8);
		// The truth: how much of the time the lock was held, sampled by the test itself
		// every half millisecond.
		java.util.concurrent.atomic.AtomicLong looks = new java.util.concurrent.atomic.AtomicLong();
		java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();
		long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
		Thread sampler = new Thread(() -> {
			while (System.nanoTime() < end) {
				looks.incrementAndGet();
				if (this.priceLock.isLocked()) {
					held.incrementAndGet();
				}
				java.util.concurrent.locks.LockSupport.parkNanos(500_000);
			}
		});
		try {
			sampler.start();
			List<Future<Integer>> calls = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				calls.add(clients.submit(() -> drive(end)));
			}
			for (Future<Integer> call : calls) {
				assertThat(call.get()).isGreaterThan(0);
			}
			sampler.join();
		}
		finally {
			clients.shutdownNow();
		}
		double heldShare = (double) held.get() / looks.get();
		double mean = number(quoteMethod(), "meanContention");
		System.out.printf("price-lock %.3f (busyRatio %.3f), quote calls %.3f on average; held %.3f of the time%n",
				door.getContentionMetric(), door.getBusyRatio(), mean, heldShare);
		// Eight clients, each holding the lock 2 ms per 5 ms supplier wait: taken most of
		// the time on a quiet machine (about 0.65), less beside two spinning loops, where
		// the clients cannot keep it as busy. Whatever the machine made of it, the door's
		// share of knocks that found it taken is the share of time it was held.
		assertThat(heldShare).isGreaterThan(0.15);
		assertThat(door.getBusyRatio()).isCloseTo(heldShare, org.assertj.core.data.Offset.offset(0.15));
		// A knock that finds it held waits out the rest of a 2 ms hold and the queue
		// behind it: at least about half the held share.
		assertThat(door.getContentionMetric()).isGreaterThan(0.4 * heldShare);
		assertThat(mean).isGreaterThan(0.4 * heldShare);
	}

	@Test
	void aReportComputedOnAnEventLoopShowsOnTheEventLoopDoor() throws Exception {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.knockers.get("event-loop") != null);
		KnockKnock loops = this.knockers.get("event-loop");
		loops.resetContentionMetric();
		Thread.sleep(1200);
		double rest = loops.getContentionMetric();
		loops.resetContentionMetric();
		HttpResponse<String> report = send("/report?ms=1500");
		assertThat(report.statusCode()).isEqualTo(200);
		assertThat(report.body()).contains("http-nio");
		double blocked = loops.getContentionMetric();
		System.out.printf("event-loop: rest %.3f, a 1.5 s report on a loop %.3f%n", rest, blocked);
		// Idle loops take a no-op in tens of microseconds; room for a busy machine.
		assertThat(rest).isLessThan(0.25);
		// Knocks on the loop the report holds wait for it; later knocks find it busy.
		assertThat(blocked).isGreaterThan(0.5);
	}

	@Test
	void aReportOutOfRangeIsRefusedAndNamesTheRange() throws Exception {
		HttpResponse<String> response = send("/report?ms=60000");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("ms is 60000; a report computes for 0 to 5000 ms");
	}

	private Integer drive(long end) throws Exception {
		int calls = 0;
		while (System.nanoTime() < end) {
			assertThat(send("/quotes/teapot").statusCode()).isEqualTo(200);
			calls++;
		}
		return calls;
	}

	private Map<String, Object> quoteMethod() throws Exception {
		return map(map(json(send("/actuator/contention")), "methods"), "quote");
	}

	private HttpResponse<String> send(String path) throws Exception {
		return this.client.send(request(path), HttpResponse.BodyHandlers.ofString());
	}

	private CompletableFuture<HttpResponse<String>> sendAsync(String path) {
		return this.client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JsonMapper.builder().build().readValue(response.body(), Map.class);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> json, String key) {
		return (Map<String, Object>) json.get(key);
	}

	private static double number(Map<String, Object> json, String key) {
		return ((Number) json.get(key)).doubleValue();
	}

}
