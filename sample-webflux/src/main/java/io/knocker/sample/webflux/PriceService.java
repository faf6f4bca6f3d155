package io.knocker.sample.webflux;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockMeasured;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.stereotype.Service;

/** Prices, from a supplier and a price book that one lock guards. */
@Service
public class PriceService {

	private static final Map<String, Long> LIST_PRICES = Map.of("kettle", 2_999L, "teapot", 1_850L, "mug", 650L);

	private final ReentrantLock priceLock;

	private long quotes;

	public PriceService(ReentrantLock priceLock) {
		this.priceLock = priceLock;
	}

	/**
	 * Quotes a price: five milliseconds waiting on the supplier (no thread blocked), then
	 * about two milliseconds in the price book under its lock, on the bounded elastic
	 * pool. Measured from each subscription to its end, so the wait for the lock counts.
	 * @param sku the product
	 * @return the quote, or {@link UnknownProductException} for a product not sold here
	 */
	@KnockMeasured(value = "quote", door = "price-lock")
	public Mono<Quote> quote(String sku) {
		return Mono.delay(Duration.ofMillis(5))
			.then(Mono.fromCallable(() -> priced(sku)).subscribeOn(Schedulers.boundedElastic()));
	}

	private Quote priced(String sku) {
		this.priceLock.lock();
		try {
			Work.compute(2_000_000);
			Long cents = LIST_PRICES.get(sku);
			if (cents == null) {
				throw new UnknownProductException(sku);
			}
			return new Quote(sku, cents, ++this.quotes);
		}
		finally {
			this.priceLock.unlock();
		}
	}

	/** A price quoted. */
	public record Quote(String sku, long cents, long quoteNumber) {
	}

	/** A product this service does not price. */
	public static class UnknownProductException extends RuntimeException {

		UnknownProductException(String sku) {
			super("No price for '" + sku + "'");
		}

	}

}
