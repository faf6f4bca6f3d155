package io.knocker.sample.webflux;

import java.util.concurrent.locks.ReentrantLock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A small reactive price service: quotes wait on a supplier without blocking, then queue
 * on the price book's lock; reports are computed, by mistake, on the event loop. Knocker
 * measures each quote from subscription to its end and shows the blocked event loop.
 */
@SpringBootApplication
public class PriceApplication {

	public static void main(String[] args) {
		SpringApplication.run(PriceApplication.class, args);
	}

	/** The lock every quote takes; knocked on as the door {@code price-lock}. */
	@Bean
	ReentrantLock priceLock() {
		return new ReentrantLock();
	}

}
