package io.knocker.autoconfigure.requests;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of an endpoint's time (each door, {@code cpu}, {@code jvm}) add up to at most
 * the requests' time: in the ledger the endpoint reads, and in the meters.
 */
final class PartsAddUp {

	private PartsAddUp() {
	}

	static void inTheLedger(Iterable<RequestLedger.Endpoint> endpoints) {
		for (RequestLedger.Endpoint endpoint : endpoints) {
			double seconds = endpoint.getWaitedSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
			assertThat(seconds).as("%s: its parts' seconds %s", endpoint.getKey(), endpoint.getWaitedSeconds())
				.isLessThanOrEqualTo(endpoint.getSeconds() * (1 + 1e-9));
		}
	}

	/**
	 * {@code knocker.request.waited} over every door, against
	 * {@code knocker.request.seconds}.
	 */
	static void inTheMeters(MeterRegistry registry, String uri) {
		double parts = sum(registry, "knocker.request.waited", uri);
		assertThat(parts).as("%s: its parts' meters", uri)
			.isLessThanOrEqualTo(sum(registry, "knocker.request.seconds", uri) * (1 + 1e-9));
	}

	private static double sum(MeterRegistry registry, String name, String uri) {
		return registry.find(name)
			.tag("uri", uri)
			.functionCounters()
			.stream()
			.mapToDouble(FunctionCounter::count)
			.sum();
	}

}
