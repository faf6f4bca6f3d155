package io.knocker.autoconfigure.requests;

import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The ledger's bound on endpoints, its resets, and the meters that follow it.
 */
class RequestLedgerTests {

	private final RequestLedger ledger = new RequestLedger(2);

	private final MeterRegistry registry = new SimpleMeterRegistry();

	RequestLedgerTests() {
		new RequestMetrics(this.ledger).bindTo(this.registry);
	}

	@Test
	void aLookLongerThanItsShortRequestIsBookedWholeWithinTheEndpointsTime() {
		// Ten 2 ms requests; a look (a knock's interval, 5 ms) found two of them at the
		// lock: 10 ms in all, unbiased. Cut to each request's own time it would be 4 ms.
		RequestLedger ledger = new RequestLedger();
		for (int i = 0; i < 10; i++) {
			long look = (i == 0 || i == 5) ? 5_000_000L : 0;
			ledger.book("GET", "/short", 2_000_000L,
					new java.util.HashMap<>(Map.of("stock-lock", look, "jvm", 0L, "http", 100_000L)));
		}
		RequestLedger.Endpoint endpoint = ledger.asMap().get("GET /short");
		Map<String, Double> waited = endpoint.getWaitedSeconds();
		assertThat(waited.get("stock-lock")).isCloseTo(0.010, within(1e-9));
		assertThat(waited.values().stream().mapToDouble(Double::doubleValue).sum())
			.isLessThanOrEqualTo(endpoint.getSeconds());
	}

	@Test
	void partsNeverSumAboveTheEndpointsTimeWhateverTheEstimates() {
		RequestLedger ledger = new RequestLedger();
		ledger.book("GET", "/over", 2_000_000L, new java.util.HashMap<>(
				Map.of("stock-lock", 10_000_000L, "dataSource", 10_000_000L, "cpu", 1_000_000L, "jvm", 500_000L)),
				true);
		RequestLedger.Endpoint endpoint = ledger.asMap().get("GET /over");
		Map<String, Double> waited = endpoint.getWaitedSeconds();
		assertThat(waited.get("jvm")).isCloseTo(0.0005, within(1e-9));
		assertThat(waited.get("cpu")).isCloseTo(0.001, within(1e-9));
		assertThat(waited.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(endpoint.getSeconds(),
				within(1e-9));
		assertThat(endpoint.totalWaitedSeconds("stock-lock") + endpoint.totalWaitedSeconds("dataSource")
				+ endpoint.totalWaitedSeconds("cpu") + endpoint.totalWaitedSeconds("jvm"))
			.isLessThanOrEqualTo(endpoint.totalSeconds() + 1e-9);
	}

	@Test
	void endpointsBeyondTheBoundAreBookedUnderOther() {
		book("/a", 1_000_000_000L, 250_000_000L);
		book("/b", 2_000_000_000L, 0);
		book("/c", 3_000_000_000L, 1_000_000_000L);
		book("/d", 1_000_000_000L, 500_000_000L);
		Map<String, RequestLedger.Endpoint> endpoints = this.ledger.asMap();
		assertThat(endpoints).containsOnlyKeys("GET /a", "GET /b", "OTHER");
		RequestLedger.Endpoint other = endpoints.get("OTHER");
		assertThat(other.getMethod()).isEqualTo("OTHER");
		assertThat(other.getUri()).isEqualTo("OTHER");
		assertThat(other.getRequests()).isEqualTo(2);
		assertThat(other.getSeconds()).isEqualTo(4.0);
		assertThat(other.getWaited()).containsEntry("stock-lock", 1.5 / 4.0);
		// The meters are bounded alike: one per endpoint kept apart, and OTHER.
		assertThat(uris("knocker.request.seconds")).containsOnlyKeys("/a", "/b", "OTHER");
		assertThat(uris("knocker.request.waited")).containsOnlyKeys("/a", "/b", "OTHER");
		assertThat(uris("knocker.request.seconds")).containsEntry("OTHER", 4.0).containsEntry("/b", 2.0);
		assertThat(uris("knocker.request.waited")).containsEntry("OTHER", 1.5).containsEntry("/a", 0.25);
	}

	@Test
	void aResetDropsTheEndpointsWithNoRequestSinceThePreviousResetAndTheirMeters() {
		book("/a", 1_000_000_000L, 0);
		book("/b", 1_000_000_000L, 0);
		book("/c", 1_000_000_000L, 0);
		// Every endpoint had a request since start: none is dropped, all start over.
		this.ledger.reset();
		assertThat(this.ledger.asMap()).containsOnlyKeys("GET /a", "GET /b", "OTHER");
		assertThat(this.ledger.asMap().get("GET /a").getRequests()).isZero();
		book("/a", 1_000_000_000L, 0);
		this.ledger.reset();
		assertThat(this.ledger.asMap()).containsOnlyKeys("GET /a");
		assertThat(uris("knocker.request.seconds")).containsOnlyKeys("/a");
		assertThat(uris("knocker.request.waited")).containsOnlyKeys("/a");
		// Room again: an endpoint that came under OTHER is booked apart now.
		book("/c", 1_000_000_000L, 0);
		assertThat(this.ledger.asMap()).containsOnlyKeys("GET /a", "GET /c");
		assertThat(uris("knocker.request.seconds")).containsOnlyKeys("/a", "/c");
		// The kept endpoint's counter went on across the resets.
		assertThat(uris("knocker.request.seconds")).containsEntry("/a", 2.0).containsEntry("/c", 1.0);
	}

	@Test
	void anEndpointFirstBookedAfterAResetIsNotDroppedAtTheNext() {
		this.ledger.reset();
		book("/a", 1_000_000_000L, 0);
		this.ledger.reset();
		assertThat(this.ledger.asMap()).containsOnlyKeys("GET /a");
	}

	@Test
	void theSecondsMeterIsTheEndpointsTimeAndTheRatioOfTheRatesIsItsShare() {
		book("/a", 800_000_000L, 200_000_000L);
		this.ledger.reset();
		double secondsBefore = uris("knocker.request.seconds").get("/a");
		double waitedBefore = uris("knocker.request.waited").get("/a");
		book("/a", 1_200_000_000L, 600_000_000L);
		book("/a", 300_000_000L, 0);
		RequestLedger.Endpoint endpoint = this.ledger.asMap().get("GET /a");
		double seconds = uris("knocker.request.seconds").get("/a") - secondsBefore;
		double waited = uris("knocker.request.waited").get("/a") - waitedBefore;
		assertThat(seconds).isCloseTo(endpoint.getSeconds(), within(1e-9));
		assertThat(waited / seconds).isCloseTo(endpoint.getWaited().get("stock-lock"), within(1e-9));
	}

	private void book(String uri, long nanos, long waited) {
		this.ledger.book("GET", uri, nanos, Map.of("stock-lock", waited));
	}

	/** A meter's readings by uri tag. */
	private Map<String, Double> uris(String name) {
		return this.registry.find(name)
			.functionCounters()
			.stream()
			.collect(Collectors.toMap((counter) -> counter.getId().getTag("uri"), FunctionCounter::count));
	}

}
