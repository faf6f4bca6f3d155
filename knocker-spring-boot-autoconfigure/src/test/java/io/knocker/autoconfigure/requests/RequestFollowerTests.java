package io.knocker.autoconfigure.requests;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.knocker.KnockSettings;
import io.knocker.autoconfigure.Knockers;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The follower driven directly, as Spring's observation filter drives it: the endpoint a
 * request is booked under, whatever the convention, and requests whose observation never
 * stops.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestFollowerTests {

	private static final ServerRequestObservationConvention DEFAULT = new DefaultServerRequestObservationConvention();

	private final RequestLedger ledger = new RequestLedger();

	private final Knockers knockers = new Knockers(List.of(), new KnockSettings("jvm", Duration.ofMillis(1),
			Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(101), 0));

	@Test
	void aRequestWhoseObservationNeverStopsIsBookedOnceAsItStoodAfterMaxOpen() {
		ObservationRegistry registry = registry(Duration.ofMillis(100));
		long started = System.nanoTime();
		Observation hanging = request(registry, DEFAULT, "GET", "/hanging", 200).start();
		LockSupport.parkNanos(Duration.ofMillis(150).toNanos());
		// The next request to start sweeps the open ones: once a max-open at most.
		request(registry, DEFAULT, "GET", "/other", 200).start().stop();
		long swept = System.nanoTime();
		RequestLedger.Endpoint endpoint = this.ledger.asMap().get("GET /hanging");
		assertThat(endpoint).isNotNull();
		assertThat(endpoint.getRequests()).isOne();
		// As it stood at the sweep: open longer than max-open, no longer than the test
		// saw pass.
		double seconds = endpoint.getSeconds();
		assertThat(seconds).isBetween(0.1, (swept - started) / 1e9);
		hanging.stop();
		assertThat(endpoint.getRequests()).isOne();
		assertThat(endpoint.getSeconds()).isEqualTo(seconds);
		assertThat(this.ledger.asMap().get("GET /other").getRequests()).isOne();
	}

	@Test
	void anApplicationsOwnConventionGivesTheKeysOfTheDefaultOne() {
		// Keys neither "method" nor "uri", as OpenTelemetry's or an application's own.
		ServerRequestObservationConvention own = new ServerRequestObservationConvention() {

			@Override
			public String getName() {
				return "http.server.requests";
			}

			@Override
			public KeyValues getLowCardinalityKeyValues(ServerRequestObservationContext context) {
				return KeyValues.of("route", String.valueOf(context.getPathPattern()));
			}

		};
		ObservationRegistry registry = registry(RequestFollower.DEFAULT_MAX_OPEN);
		theKeyIsTheDefaultConventions(registry, own, "GET", "/book/{id}", 200, "GET /book/{id}");
		theKeyIsTheDefaultConventions(registry, own, "POST", "/book", 500, "POST /book");
		theKeyIsTheDefaultConventions(registry, own, "GET", null, 404, "GET NOT_FOUND");
		theKeyIsTheDefaultConventions(registry, own, "GET", null, 302, "GET REDIRECTION");
		theKeyIsTheDefaultConventions(registry, own, "GET", "", 200, "GET root");
		theKeyIsTheDefaultConventions(registry, own, "GET", null, 200, "GET UNKNOWN");
		theKeyIsTheDefaultConventions(registry, own, "BREW", "/pot", 200, "UNKNOWN /pot");
	}

	private void theKeyIsTheDefaultConventions(ObservationRegistry registry,
			ServerRequestObservationConvention convention, String method, String pattern, int status, String expected) {
		this.ledger.reset();
		Observation observation = request(registry, convention, method, pattern, status).start();
		ServerRequestObservationContext context = (ServerRequestObservationContext) observation.getContext();
		KeyValues defaults = DEFAULT.getLowCardinalityKeyValues(context);
		String key = defaults.stream().filter((kv) -> kv.getKey().equals("method")).findFirst().get().getValue() + " "
				+ defaults.stream().filter((kv) -> kv.getKey().equals("uri")).findFirst().get().getValue();
		assertThat(key).isEqualTo(expected);
		observation.stop();
		assertThat(this.ledger.asMap().get(key)).as(key).isNotNull();
		assertThat(this.ledger.asMap().get(key).getRequests()).isOne();
	}

	@Test
	void aRequestWhoseEndpointCannotBeReadIsBookedUnderUnknownWithOneWarning(CapturedOutput output) {
		RequestFollower follower = new RequestFollower(() -> this.knockers, this.ledger, (context) -> true,
				(context) -> false, (uri) -> false);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(follower).observationFilter(follower);
		Observation.start("http.server.requests", registry).stop();
		Observation.start("http.server.requests", registry).stop();
		assertThat(this.ledger.asMap().get("UNKNOWN UNKNOWN").getRequests()).isEqualTo(2);
		String warning = "Cannot read the endpoint of a request from its observation";
		assertThat(output.getOut().split(warning, -1)).hasSize(2);
	}

	private ObservationRegistry registry(Duration maxOpen) {
		RequestFollower follower = new RequestFollower(() -> this.knockers, this.ledger,
				ServerRequestObservationContext.class::isInstance, (context) -> false, (uri) -> false, maxOpen);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(follower).observationFilter(follower);
		return registry;
	}

	/** A servlet request's observation, as Spring's filter makes it, matched or not. */
	private static Observation request(ObservationRegistry registry, ServerRequestObservationConvention convention,
			String method, String pattern, int status) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, "/some/path");
		MockHttpServletResponse response = new MockHttpServletResponse();
		response.setStatus(status);
		ServerRequestObservationContext context = new ServerRequestObservationContext(request, response);
		context.setPathPattern(pattern);
		return Observation.createNotStarted(convention, () -> context, registry);
	}

}
