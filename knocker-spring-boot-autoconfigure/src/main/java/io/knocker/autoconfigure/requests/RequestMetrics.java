package io.knocker.autoconfigure.requests;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The requests' meters, per endpoint as the {@link RequestLedger} books them (tags
 * {@code method} and {@code uri}, the values Spring's default
 * {@code http.server.requests} convention gives, and {@code OTHER} for the endpoints
 * beyond the ledger's bound), both in seconds and monotonic:
 * <ul>
 * <li>{@code knocker.request.seconds}: the requests' time, from the hand-off to a worker
 * until the response;
 * <li>{@code knocker.request.waited}, tagged {@code door} too: the time they waited at
 * that door.
 * </ul>
 * Their rates' ratio is an endpoint's share waited at a door, as the endpoint shows it:
 * {@code sum by (method, uri, door) (rate(knocker_request_waited_seconds_total[5m])) / ignoring(door) group_left sum by (method, uri) (rate(knocker_request_seconds_total[5m]))}
 * ({@code http_server_requests_seconds_sum} would not do: it starts after the queue for a
 * worker). Registered as endpoints are first booked and first wait at doors; removed with
 * the endpoints a reset drops, so that the ledger's bound bounds the meters too (a
 * dropped endpoint's counters end; booked again, it starts new ones from zero, which a
 * rate reads as a counter reset).
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
		this.ledger.addListener(new Meters(registry));
	}

	/** One registry's meters, by endpoint. */
	private static final class Meters implements RequestLedger.Listener {

		private final MeterRegistry registry;

		private final Map<RequestLedger.Endpoint, List<Meter>> meters = new ConcurrentHashMap<>();

		Meters(MeterRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void endpointAdded(RequestLedger.Endpoint endpoint) {
			add(endpoint,
					FunctionCounter.builder("knocker.request.seconds", endpoint, RequestLedger.Endpoint::totalSeconds)
						.baseUnit("seconds")
						.description("Time of requests, from the hand-off to a worker until the response")
						.tags("method", endpoint.getMethod(), "uri", endpoint.getUri())
						.register(this.registry));
		}

		@Override
		public void doorSeen(RequestLedger.Endpoint endpoint, String door) {
			add(endpoint,
					FunctionCounter.builder("knocker.request.waited", endpoint, (e) -> e.totalWaitedSeconds(door))
						.baseUnit("seconds")
						.description("Time requests waited at a door")
						.tags("method", endpoint.getMethod(), "uri", endpoint.getUri(), "door", door)
						.register(this.registry));
		}

		@Override
		public void endpointRemoved(RequestLedger.Endpoint endpoint) {
			List<Meter> removed = this.meters.remove(endpoint);
			if (removed != null) {
				removed.forEach(this.registry::remove);
			}
		}

		private void add(RequestLedger.Endpoint endpoint, Meter meter) {
			this.meters.computeIfAbsent(endpoint, (e) -> new CopyOnWriteArrayList<>()).add(meter);
		}

	}

}
