package io.knocker.benchmarks.advice;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * A servlet application whose three endpoints queue at one door each, for
 * {@link AdviceCheck}: {@code GET /pool} holds a connection of a HikariCP pool
 * ({@code spring.datasource.hikari.maximum-pool-size}, the door {@code dataSource}),
 * {@code GET /permit} a permit of a fair {@link Semaphore} ({@code capacity.permits}, the
 * door {@code permits}), {@code GET /work} only a server worker
 * ({@code server.tomcat.threads.max}, the door {@code http}). Each holds for a service
 * time drawn from an exponential distribution of mean {@code capacity.hold-mean} (20 ms),
 * or for {@code ?hold=} microseconds when the caller draws it, and sleeps through it: no
 * CPU.
 * <p>
 * Each request times its own wait for the resource and its own time on the worker with
 * {@code System.nanoTime()}: per request in the response headers {@code X-Wait-Nanos} and
 * {@code X-Server-Nanos} (and, when the client stamped its request with
 * {@code X-Sent-Nanos}, {@code X-Before-Nanos}: from that stamp to the first filter),
 * summed per endpoint at {@code GET /truth} (since the last {@code POST /truth}).
 * Knocker's endpoint is exposed at {@code /actuator/contention}, writes allowed, so that
 * a harness can reset it.
 * <p>
 * Run:
 * {@code java -cp <classpath> io.knocker.benchmarks.advice.CapacityApp --server.port=8097}.
 * The defaults are set in code rather than in an {@code application.properties}, which
 * would reach every other Spring context of the benchmarks' classpath.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class CapacityApp {

	static final String HOLD_MEAN = "capacity.hold-mean";

	static final String PERMITS = "capacity.permits";

	private static final Map<String, Object> DEFAULTS = Map.ofEntries(Map.entry(HOLD_MEAN, "20ms"),
			Map.entry(PERMITS, "2"), Map.entry("knocker.doors.permits.bean", "permits"),
			Map.entry("spring.datasource.url", "jdbc:h2:mem:capacity;DB_CLOSE_DELAY=-1"),
			Map.entry("spring.datasource.hikari.maximum-pool-size", "2"),
			// A full pool from the start: no connection opened while the load runs.
			Map.entry("spring.datasource.hikari.minimum-idle", "${spring.datasource.hikari.maximum-pool-size}"),
			// Connections kept open: no reconnection in the client's latency.
			Map.entry("server.tomcat.max-keep-alive-requests", "-1"),
			Map.entry("server.tomcat.keep-alive-timeout", "10m"),
			Map.entry("management.endpoints.web.exposure.include", "contention"),
			Map.entry("management.endpoint.contention.access", "unrestricted"),
			Map.entry("spring.main.banner-mode", "off"), Map.entry("logging.level.root", "warn"));

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(CapacityApp.class);
		application.setDefaultProperties(DEFAULTS);
		application.run(args);
	}

	@Bean
	Semaphore permits(@Value("${" + PERMITS + "}") int permits) {
		return new Semaphore(permits, true);
	}

	@Bean
	Truth truth() {
		return new Truth();
	}

	@Bean
	ServiceTime serviceTime(@Value("${" + HOLD_MEAN + "}") Duration mean) {
		return new ServiceTime(mean);
	}

	@Bean
	FilterRegistrationBean<TruthFilter> truthFilter(Truth truth) {
		FilterRegistrationBean<TruthFilter> registration = new FilterRegistrationBean<>(new TruthFilter(truth));
		registration.addUrlPatterns(CapacityController.PATHS);
		// Before Spring's observation filter, so that its time holds Knocker's.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
