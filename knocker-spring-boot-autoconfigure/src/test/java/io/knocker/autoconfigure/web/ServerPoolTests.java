package io.knocker.autoconfigure.web;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.knocker.KnockKnock;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.WebServers;
import io.knocker.autoconfigure.requests.HandOffStamp;
import io.knocker.autoconfigure.requests.RequestLedger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server's own pool stays the server's while the requests' hand-off is stamped: its
 * thread meters read as without Knocker, Tomcat's resizes, a graceful shutdown drains it,
 * and a context stop and start keeps serving and keeps stamping.
 */
class ServerPoolTests {

	private static final Field TOMCATS_REGISTRY = ReflectionUtils.findField(Registry.class, "registry");

	private static Object tomcatsRegistry;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/**
	 * Tomcat's MBean registry is the JVM's: once an application disabled it (Spring
	 * Boot's default) it stays so, and Tomcat's thread meters never appear. Starts from
	 * none, and leaves it as found.
	 */
	@BeforeAll
	static void forgetTomcatsRegistry() {
		ReflectionUtils.makeAccessible(TOMCATS_REGISTRY);
		tomcatsRegistry = ReflectionUtils.getField(TOMCATS_REGISTRY, null);
		ReflectionUtils.setField(TOMCATS_REGISTRY, null, null);
	}

	@AfterAll
	static void restoreTomcatsRegistry() {
		ReflectionUtils.setField(TOMCATS_REGISTRY, null, tomcatsRegistry);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty" })
	void theServersThreadMetersReadAsWithoutKnocker(String server) {
		Map<String, Double> without = threadMeters(server, "--knocker.requests.enabled=false");
		Map<String, Double> with = threadMeters(server);
		System.out.printf("%s thread meters: without Knocker %s, with %s%n", server, without, with);
		assertThat(with).isEqualTo(without);
		assertThat(with.get(server + ".threads.config.max")).isEqualTo(7.0);
		assertThat(with.values()).allMatch((value) -> value >= 0);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty" })
	void aContextStopAndStartKeepsServingAndStamping(String server) throws Exception {
		// One Tomcat worker; two Jetty ones (it leases one thread to its acceptor and one
		// to its selector).
		try (ConfigurableApplicationContext context = start(server, "--server.tomcat.threads.max=1",
				"--server.tomcat.threads.min-spare=1", "--server.jetty.threads.max=4", "--server.jetty.threads.min=4",
				"--server.jetty.threads.acceptors=1", "--server.jetty.threads.selectors=1")) {
			context.stop();
			context.start();
			KnockKnock http = context.getBean(Knockers.class).get("http");
			http.resetContentionMetric();
			// Six 50 ms requests at once: at least four queue 50 ms (one worker) or two
			// (two workers).
			double queued = queuedSeconds(context, 6);
			System.out.printf("%s after a stop and start: 6 requests queued %.3f s; the http door busy at %.3f%n",
					server, queued, http.getBusyRatio());
			assertThat(queued).isGreaterThan(0.05);
			// The door knocks on the pool of the new start: it finds it taken (on the
			// old pool, shut down, every knock got straight through).
			assertThat(http.getBusyRatio()).isGreaterThan(0.1);
			assertThat(http.getFailedKnocks()).isZero();
			if ("tomcat".equals(server)) {
				// The pool of the new start, Tomcat's own.
				assertThat(protocol(context).getMaxThreads()).isOne();
			}
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void onVirtualThreadsAContextStopAndStartKeepsServingAndStampingToo() throws Exception {
		try (ConfigurableApplicationContext context = start("tomcat", "--spring.threads.virtual.enabled=true")) {
			context.stop();
			context.start();
			// The wait for a virtual thread to start: short, but stamped.
			double queued = queuedSeconds(context, 3);
			System.out.printf("virtual threads after a stop and start: 3 requests queued %.6f s%n", queued);
			assertThat(queued).isPositive();
		}
	}

	/**
	 * Sends that many 50 ms requests at once, each served, and answers the time they
	 * queued for a worker, as booked.
	 */
	private double queuedSeconds(ConfigurableApplicationContext context, int requests) throws Exception {
		int port = WebServers.port(context);
		List<CompletableFuture<HttpResponse<Void>>> responses = new ArrayList<>();
		for (int i = 0; i < requests; i++) {
			responses.add(this.client.sendAsync(get(port, "/slow/50"), HttpResponse.BodyHandlers.discarding()));
		}
		for (CompletableFuture<HttpResponse<Void>> response : responses) {
			assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		RequestLedger ledger = context.getBean(RequestLedger.class);
		await().atMost(Duration.ofSeconds(2))
			.until(() -> ledger.asMap().containsKey("GET /slow/{millis}")
					&& ledger.asMap().get("GET /slow/{millis}").getRequests() == requests);
		return ledger.asMap().get("GET /slow/{millis}").totalWaitedSeconds(HandOffStamp.DOOR);
	}

	@Test
	void setMaxThreadsResizesTomcatsPool() {
		try (ConfigurableApplicationContext context = start("tomcat", "--server.tomcat.threads.max=3",
				"--server.tomcat.threads.min-spare=1")) {
			AbstractProtocol<?> protocol = protocol(context);
			protocol.setMaxThreads(9);
			protocol.setMinSpareThreads(2);
			ThreadPoolExecutor pool = (ThreadPoolExecutor) HandOffStamp.unwrap(protocol.getExecutor());
			System.out.printf("Tomcat resized: getMaxThreads %d, pool's maximum %d, core %d%n",
					protocol.getMaxThreads(), pool.getMaximumPoolSize(), pool.getCorePoolSize());
			assertThat(protocol.getMaxThreads()).isEqualTo(9);
			assertThat(pool.getMaximumPoolSize()).isEqualTo(9);
			assertThat(pool.getCorePoolSize()).isEqualTo(2);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty" })
	void aGracefulShutdownDrainsTheRequestsInFlight(String server) throws Exception {
		ConfigurableApplicationContext context = start(server, "--server.shutdown=graceful");
		try {
			HeldApp held = context.getBean(HeldApp.class);
			CompletableFuture<HttpResponse<String>> response = this.client
				.sendAsync(get(WebServers.port(context), "/slow/500"), HttpResponse.BodyHandlers.ofString());
			assertThat(held.entered.await(5, TimeUnit.SECONDS)).isTrue();
			context.close();
			assertThat(response.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			assertThat(response.get().body()).isEqualTo("done");
		}
		finally {
			context.close();
		}
	}

	/** The server's thread meters at rest, by name, without the server's tags. */
	private static Map<String, Double> threadMeters(String server, String... properties) {
		try (ConfigurableApplicationContext context = start(server, properties)) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// Tomcat's meters are read off its MBeans, shared by every Tomcat in the JVM,
			// and named as the endpoint was named when it registered them.
			String pool = "tomcat".equals(server) ? endpoint(protocol(context)).getName() : null;
			List<String> names = List.of(server + ".threads.config.max", server + ".threads.current",
					server + ".threads.busy");
			await().atMost(Duration.ofSeconds(5))
				.until(() -> names.stream().allMatch((name) -> gauge(registry, name, pool) != null));
			Map<String, Double> meters = new TreeMap<>();
			for (String name : names) {
				meters.put(name, gauge(registry, name, pool).value());
			}
			return meters;
		}
	}

	private static Gauge gauge(MeterRegistry registry, String name, String pool) {
		return registry.find(name)
			.gauges()
			.stream()
			.filter((gauge) -> pool == null || pool.equals(gauge.getId().getTag("name")))
			.findFirst()
			.orElse(null);
	}

	/** The protocol handler of the application's Tomcat. */
	private static AbstractProtocol<?> protocol(ConfigurableApplicationContext context) {
		Object server = WebServers.of(context);
		// By name: Tomcat's web server class is named differently on each Boot line.
		Method getTomcat = ReflectionUtils.findMethod(server.getClass(), "getTomcat");
		assertThat(getTomcat).isNotNull();
		Tomcat tomcat = (Tomcat) ReflectionUtils.invokeMethod(getTomcat, server);
		return (AbstractProtocol<?>) tomcat.getConnector().getProtocolHandler();
	}

	private static AbstractEndpoint<?, ?> endpoint(AbstractProtocol<?> protocol) {
		Method getEndpoint = ReflectionUtils.findMethod(AbstractProtocol.class, "getEndpoint");
		assertThat(getEndpoint).isNotNull();
		ReflectionUtils.makeAccessible(getEndpoint);
		return (AbstractEndpoint<?, ?>) ReflectionUtils.invokeMethod(getEndpoint, protocol);
	}

	private static HttpRequest get(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
	}

	private static ConfigurableApplicationContext start(String server, String... properties) {
		// Seven workers at most, unless told otherwise (a property given twice is a
		// list).
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--server.address=127.0.0.1", "--server.tomcat.mbeanregistry.enabled=true"));
		args.addAll(List.of(properties));
		for (String threads : List.of("--server.tomcat.threads.max=7", "--server.tomcat.threads.min-spare=3",
				"--server.jetty.threads.max=7", "--server.jetty.threads.min=5")) {
			String name = threads.substring(0, threads.indexOf('=') + 1);
			if (args.stream().noneMatch((arg) -> arg.startsWith(name))) {
				args.add(threads);
			}
		}
		ConfigurableApplicationContext context = WebServers.on(server, HeldApp.class).run(args.toArray(String[]::new));
		assertThat(WebServers.of(context).getClass().getSimpleName()).startsWithIgnoringCase(server);
		return context;
	}

	/** A web application whose one endpoint takes as long as asked, and says it began. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	static class HeldApp {

		final CountDownLatch entered = new CountDownLatch(1);

		@GetMapping("/slow/{millis}")
		String slow(@PathVariable("millis") long millis) throws InterruptedException {
			this.entered.countDown();
			Thread.sleep(millis);
			return "done";
		}

	}

}
