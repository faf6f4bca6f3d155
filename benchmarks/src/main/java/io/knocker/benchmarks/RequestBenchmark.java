package io.knocker.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockKnock;
import io.knocker.MeasuredCall;
import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.requests.RequestFollower;
import io.knocker.autoconfigure.requests.RequestLedger;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * What following a request costs: an {@code http.server.requests} observation started and
 * stopped with Micrometer's meter handler, as Spring Boot records every request, with and
 * without Knocker's follower beside it, on an application with the {@code jvm} door and a
 * lock door (the target: at most 1 µs more per request), with {@code others}
 * calls open on the lock door meanwhile (other requests in flight: 1, 100, 2,000).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RequestBenchmark {

	private static final MockHttpServletRequest REQUEST = new MockHttpServletRequest("GET", "/book/42");

	private static final MockHttpServletResponse RESPONSE = new MockHttpServletResponse();

	private static final DefaultServerRequestObservationConvention CONVENTION = new DefaultServerRequestObservationConvention();

	private static final org.springframework.http.server.observation.ServerHttpObservationDocumentation SERVER_REQUESTS = org.springframework.http.server.observation.ServerHttpObservationDocumentation.HTTP_SERVLET_SERVER_REQUESTS;

	@Param({ "1", "100", "2000" })
	public int others;

	private ConfigurableApplicationContext context;

	private final List<MeasuredCall> inFlight = new ArrayList<>();

	private ObservationRegistry observed;

	private ObservationRegistry followed;

	@Setup(Level.Trial)
	public void start() {
		this.context = new SpringApplicationBuilder(Config.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--logging.level.root=warn", "--knocker.doors.work-lock.bean=workLock");
		Knockers knockers = this.context.getBean(Knockers.class);
		KnockKnock lock = knockers.asMap().get("work-lock");
		for (int i = 0; i < this.others; i++) {
			this.inFlight.add(lock.open());
		}
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.observed = ObservationRegistry.create();
		this.observed.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
		this.followed = ObservationRegistry.create();
		RequestFollower follower = new RequestFollower(() -> knockers, new RequestLedger(),
				ServerRequestObservationContext.class::isInstance, (context) -> false, (uri) -> false);
		this.followed.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(meters))
			.observationHandler(follower)
			.observationFilter(follower);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.inFlight.forEach(MeasuredCall::close);
		this.context.close();
	}

	@Benchmark
	public Observation observed() {
		return request(this.observed);
	}

	@Benchmark
	public Observation followed() {
		return request(this.followed);
	}

	private static Observation request(ObservationRegistry registry) {
		// As Spring's ServerHttpObservationFilter makes it, matched to its pattern.
		ServerRequestObservationContext context = new ServerRequestObservationContext(REQUEST, RESPONSE);
		context.setPathPattern("/book/{id}");
		Observation observation = SERVER_REQUESTS.observation(null, CONVENTION, () -> context, registry).start();
		observation.stop();
		return observation;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(KnockerAutoConfiguration.class)
	static class Config {

		@Bean
		ReentrantLock workLock() {
			return new ReentrantLock();
		}

	}

}
