package io.knocker.autoconfigure.requests;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meter {@code knocker.request.waited}: per endpoint and door, the seconds requests
 * waited there, monotonic, tagged {@code method} and {@code uri} with the values
 * {@code http.server.requests} uses, and {@code door}. Divided by
 * {@code http_server_requests_seconds_sum}'s rate, an endpoint's share waited at a door.
 * Registered as endpoints first wait at doors.
 */
public class RequestMetrics implements MeterBinder {

	private final RequestLedger ledger;

	/**
	 * Creates the meters' binder.
	 * @param ledger the requests' ledger
	 */
	public RequestMetrics(RequestLedger ledger) {
		this.ledger = ledger;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.ledger.addListener((endpoint, door) -> FunctionCounter
			.builder("knocker.request.waited", endpoint, (e) -> e.totalWaitedSeconds(door))
			.baseUnit("seconds")
			.description("Time requests waited at a door")
			.tags("method", endpoint.getMethod(), "uri", endpoint.getUri(), "door", door)
			.register(registry));
	}

}
