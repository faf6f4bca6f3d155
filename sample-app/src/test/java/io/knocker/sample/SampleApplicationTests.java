package io.knocker.sample;

import java.lang.reflect.Method;
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

import io.knocker.KnockKnock;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample shop over real HTTP: contention shows up where it is caused. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void checkoutQueuesOnTheInventoryLockWhileTheCatalogDoesNot() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> calls = new ArrayList<>();
			long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
			for (int i = 0; i < 4; i++) {
				calls.add(clients.submit(() -> drive("POST", "/checkout", end)));
				calls.add(clients.submit(() -> drive("GET", "/catalog", end)));
			}
			for (Future<Integer> call : calls) {
				assertThat(call.get()).isGreaterThan(0);
			}
		}
		finally {
			clients.shutdownNow();
		}
		Map<String, Object> contention = json(send("GET", "/actuator/contention"));
		// The doors the shop already has, with no configuration: its request pool, the
		// pool that sends receipts and its database pool.
		assertThat(map(contention, "doors")).containsOnlyKeys("jvm", "inventory-lock", "http",
				"applicationTaskExecutor", "dataSource");
		assertThat(map(map(contention, "doors"), "dataSource")).containsEntry("kind", "connection-pool");
		Map<String, Object> methods = map(contention, "methods");
		double checkout = number(map(methods, "checkout"), "meanContention");
		double catalog = number(map(methods, "catalog"), "meanContention");
		System.out.printf("checkout %.3f, catalog %.3f%n", checkout, catalog);
		assertThat(map(methods, "checkout")).containsEntry("door", "inventory-lock");
		assertThat(map(methods, "catalog")).containsEntry("door", "jvm");
		// Four clients queue for a lock held 2 ms per checkout: it is taken nearly all
		// the time.
		// The catalog's calls see only CPU starvation on the jvm door (this machine has
		// two cores).
		assertThat(checkout).isGreaterThan(0.4);
		assertThat(checkout).isGreaterThan(catalog + 0.2);
	}

	@Test
	void ordersQueueForTheDatabasePoolAndTheirOwnWaitShows() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(6);
		try {
			List<Future<Integer>> calls = new ArrayList<>();
			long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
			for (int i = 0; i < 6; i++) {
				calls.add(clients.submit(() -> drive("GET", "/orders", end)));
			}
			for (Future<Integer> call : calls) {
				assertThat(call.get()).isGreaterThan(0);
			}
		}
		finally {
			clients.shutdownNow();
		}
		Map<String, Object> orders = json(send("GET", "/actuator/contention/orders"));
		Map<String, Object> pool = json(send("GET", "/actuator/contention/dataSource"));
		System.out.printf("orders: pool %.3f, meanContention %.3f, meanWaited %.3f%n", number(pool, "contentionMetric"),
				number(orders, "meanContention"), number(orders, "meanWaited"));
		// Six clients on two connections held 20 ms each: during the calls a newcomer
		// nearly always waits (the door's figure since start also holds the other tests'
		// quiet time), and the calls spent a good share of their time waiting.
		assertThat(pool).containsEntry("kind", "connection-pool");
		assertThat(number(orders, "meanContention")).isGreaterThan(0.5);
		assertThat(number(orders, "meanWaited")).isGreaterThan(0.2);
	}

	@Test
	void servesTheActuatorEndpointsTheSampleExposes() throws Exception {
		assertThat(send("GET", "/actuator/health").statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/metrics/knocker.contention").statusCode()).isEqualTo(200);
		HttpResponse<String> prometheus = send("GET", "/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("knocker_contended_seconds_total{door=\"inventory-lock\"}")
			.contains("knocker_sampled_seconds_total{door=\"jvm\"}");
		assertThat(send("GET", "/report?mb=8").statusCode()).isEqualTo(200);
		HttpResponse<String> tooLarge = send("GET", "/report?mb=4096");
		assertThat(tooLarge.statusCode()).isEqualTo(400);
		assertThat(tooLarge.body()).isEqualTo("mb is 4096; a report builds 1 to 512 MB");
	}

	@Test
	void measuresWithoutReactorAndLoadsNothingOfIt() throws Exception {
		// A servlet application without Reactor: the knocker's reactive measuring stays
		// unloaded, so none of its Reactor types is ever resolved.
		ClassLoader loader = KnockKnock.class.getClassLoader();
		assertThat(ClassUtils.isPresent("reactor.core.publisher.Flux", loader)).isFalse();
		Map<String, Object> before = map(map(json(send("GET", "/actuator/contention")), "methods"), "catalog");
		assertThat(send("GET", "/catalog").statusCode()).isEqualTo(200);
		Map<String, Object> after = map(map(json(send("GET", "/actuator/contention")), "methods"), "catalog");
		assertThat(number(after, "calls")).isEqualTo(number(before, "calls") + 1);
		assertThat(loaded(loader, "io.knocker.autoconfigure.measure.KnockMeasuredInterceptor")).isTrue();
		assertThat(loaded(loader, "io.knocker.autoconfigure.measure.ReactiveMeasuring")).isFalse();
	}

	/**
	 * Whether a class was loaded, without loading it (surefire opens java.lang to this
	 * test).
	 */
	private static boolean loaded(ClassLoader loader, String name) throws Exception {
		Method findLoadedClass = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
		findLoadedClass.setAccessible(true);
		return findLoadedClass.invoke(loader, name) != null;
	}

	private int drive(String method, String path, long end) throws Exception {
		int calls = 0;
		while (System.nanoTime() < end) {
			HttpResponse<String> response = send(method, path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			calls++;
		}
		return calls;
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> json(HttpResponse<String> response) {
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
