package io.knocker.autoconfigure.requests;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.knocker.autoconfigure.WebServers;
import io.knocker.autoconfigure.endpoint.ContentionEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request's wait for a core ({@code cpu}) against the kernel's own count of its
 * thread's run-queue delay, read by the application itself around each whole request (a
 * filter before the observation's, {@code Files.readAllBytes} of
 * {@code /proc/thread-self/schedstat}): an endpoint that burns 3 ms of CPU with more
 * clients than cores, a sleeping one beside it, and one at rest. Within 0.10 of each
 * endpoint's time (the target on a busy machine); every endpoint's parts sum to at most
 * 1.
 */
@EnabledOnOs(OS.LINUX)
class RequestsCpuTests {

	@Test
	void eachEndpointsWaitForACoreIsTheKernelsCountOfItsThreads() throws Exception {
		try (ConfigurableApplicationContext context = app()) {
			int port = WebServers.port(context);
			Truth truth = context.getBean(Truth.class);
			RequestLedger ledger = context.getBean(RequestLedger.class);
			load(port, 6_000, List.of("/burn", "/burn", "/burn", "/burn", "/burn", "/burn", "/sleep", "/sleep"), ledger,
					truth);
			Map<String, ContentionEndpoint.RequestsDescriptor> read = context.getBean(ContentionEndpoint.class)
				.contention()
				.requests();
			for (String path : List.of("/burn", "/sleep")) {
				ContentionEndpoint.RequestsDescriptor endpoint = read.get("GET " + path);
				double truthShare = truth.runQueue(path) / endpoint.seconds();
				double share = endpoint.waited().get("cpu").share();
				System.out.printf("GET %s: %d requests, cpu %.3f against the kernel's %.3f; parts %s%n", path,
						endpoint.count(), share, truthShare, endpoint.waited());
				assertThat(share).isCloseTo(truthShare, Offset.offset(0.1));
				partsSumToAtMostOne(endpoint);
			}
			// More work than cores: the burning requests wait for a core much of their
			// time.
			assertThat(truth.runQueue("/burn") / read.get("GET /burn").seconds()).isGreaterThan(0.2);
			metersSumToAtMostTheRequestsTime(context.getBean(MeterRegistry.class), "/burn");
		}
	}

	@Test
	void atRestARequestHardlyWaitsForACore() throws Exception {
		try (ConfigurableApplicationContext context = app()) {
			int port = WebServers.port(context);
			Truth truth = context.getBean(Truth.class);
			RequestLedger ledger = context.getBean(RequestLedger.class);
			// Once the JIT has compiled the request's path (its compiler threads take
			// cores): the second run is at rest.
			load(port, 2_000, List.of("/sleep"), ledger, truth);
			load(port, 2_000, List.of("/sleep"), ledger, truth);
			ContentionEndpoint.RequestsDescriptor endpoint = context.getBean(ContentionEndpoint.class)
				.contention()
				.requests()
				.get("GET /sleep");
			double truthShare = truth.runQueue("/sleep") / endpoint.seconds();
			System.out.printf("at rest: cpu %s, the kernel's %.4f%n", endpoint.waited().get("cpu"), truthShare);
			// Below 0.01 on a machine at rest; a busy one (a build beside it) is what the
			// kernel says, as close as under load.
			assertThat(endpoint.waited().get("cpu").share()).isCloseTo(truthShare, Offset.offset(0.05))
				.isLessThan(Math.max(0.01, 2 * truthShare));
			partsSumToAtMostOne(endpoint);
		}
	}

	private static void partsSumToAtMostOne(ContentionEndpoint.RequestsDescriptor endpoint) {
		double parts = endpoint.waited().values().stream().mapToDouble(ContentionEndpoint.Part::seconds).sum();
		assertThat(parts).isLessThanOrEqualTo(endpoint.seconds() * (1 + 1e-9));
		assertThat(parts + endpoint.rest().seconds()).isCloseTo(endpoint.seconds(), Offset.offset(1e-6));
	}

	private static void metersSumToAtMostTheRequestsTime(MeterRegistry registry, String uri) {
		double waited = registry.find("knocker.request.waited")
			.tag("uri", uri)
			.functionCounters()
			.stream()
			.mapToDouble((counter) -> counter.count())
			.sum();
		double seconds = registry.find("knocker.request.seconds").tag("uri", uri).functionCounter().count();
		assertThat(registry.find("knocker.request.waited").tags("uri", uri, "door", "cpu").functionCounter())
			.isNotNull();
		assertThat(waited).isLessThanOrEqualTo(seconds * (1 + 1e-9));
	}

	private static ConfigurableApplicationContext app() {
		return WebServers.on("tomcat", CpuApp.class)
			.run("--server.port=0", "--spring.jmx.enabled=false", "--knocker.sampling-interval=2ms",
					"--knocker.sleeping-interval=8ms", "--management.endpoints.web.exposure.include=contention");
	}

	private static void load(int port, long millis, List<String> paths, RequestLedger ledger, Truth truth)
			throws Exception {
		HttpClient client = HttpClient.newHttpClient();
		RequestsAtConcurrencyTests.get(client, port, "/sleep");
		await().until(() -> ledger.asMap().containsKey("GET /sleep"));
		ledger.reset();
		truth.reset();
		LongAdder sent = new LongAdder();
		long end = System.nanoTime() + millis * 1_000_000;
		List<Thread> clients = new ArrayList<>();
		for (String path : paths) {
			Thread thread = new Thread(() -> {
				while (System.nanoTime() < end) {
					assertThat(RequestsAtConcurrencyTests.get(client, port, path)).isEqualTo(200);
					sent.increment();
				}
			});
			thread.start();
			clients.add(thread);
		}
		for (Thread thread : clients) {
			thread.join();
		}
		await().atMost(java.time.Duration.ofSeconds(2))
			.until(() -> ledger.asMap().values().stream().mapToLong(RequestLedger.Endpoint::getRequests).sum() >= sent
				.sum());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class CpuApp {

		@Bean
		Truth truth() {
			return new Truth();
		}

		@Bean
		FilterRegistrationBean<Truth> truthFilter(Truth truth) {
			FilterRegistrationBean<Truth> registration = new FilterRegistrationBean<>(truth);
			// Before the observation's filter: the whole request, as Knocker follows it.
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

		@Bean
		Work work() {
			return new Work();
		}

	}

	/** The kernel's run-queue delay of each request's thread, read by the app itself. */
	static class Truth extends OncePerRequestFilter {

		private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

		private final Map<String, LongAdder> runQueue = new ConcurrentHashMap<>();

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			long before = read();
			try {
				chain.doFilter(request, response);
			}
			finally {
				this.runQueue.computeIfAbsent(request.getRequestURI(), (path) -> new LongAdder()).add(read() - before);
			}
		}

		private static long read() throws IOException {
			return Long.parseLong(new String(Files.readAllBytes(SCHEDSTAT)).trim().split(" ")[1]);
		}

		double runQueue(String path) {
			LongAdder nanos = this.runQueue.get(path);
			return (nanos != null) ? nanos.sum() / 1e9 : 0.0;
		}

		void reset() {
			this.runQueue.clear();
		}

	}

	@RestController
	static class Work {

		private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

		@GetMapping("/burn")
		String burn() {
			// 3 ms of this thread's own CPU, however long the wait for a core.
			long until = THREADS.getCurrentThreadCpuTime() + 3_000_000;
			long spins = 0;
			while (THREADS.getCurrentThreadCpuTime() < until) {
				spins++;
			}
			return "burnt " + spins;
		}

		@GetMapping("/sleep")
		String sleep() {
			LockSupport.parkNanos(5_000_000);
			return "slept";
		}

	}

}
