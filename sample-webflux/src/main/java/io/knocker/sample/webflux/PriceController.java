package io.knocker.sample.webflux;

import io.knocker.sample.webflux.PriceService.Quote;
import io.knocker.sample.webflux.PriceService.UnknownProductException;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The price service's HTTP face. */
@RestController
class PriceController {

	private final PriceService prices;

	PriceController(PriceService prices) {
		this.prices = prices;
	}

	@GetMapping("/quotes/{sku}")
	Mono<Quote> quote(@PathVariable String sku) {
		return this.prices.quote(sku);
	}

	/**
	 * A report computed on the event loop that took the request: the mistake the door
	 * {@code event-loop} is for. Every connection that loop serves waits meanwhile.
	 * @param ms how long the report computes, in milliseconds, from 0 to 5000
	 * @return what was computed
	 */
	@GetMapping("/report")
	Report report(@RequestParam(defaultValue = "200") int ms) {
		if (ms < 0 || ms > 5_000) {
			throw new IllegalArgumentException("ms is " + ms + "; a report computes for 0 to 5000 ms");
		}
		long nanos = ms * 1_000_000L;
		return new Report(Thread.currentThread().getName(), ms, Work.compute(nanos));
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	String invalid(IllegalArgumentException ex) {
		return ex.getMessage();
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.NOT_FOUND)
	String unknown(UnknownProductException ex) {
		return ex.getMessage();
	}

	/** A report, and the thread it was computed on. */
	record Report(String thread, long ms, long checksum) {
	}

}
