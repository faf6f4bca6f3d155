package io.knocker.autoconfigure.endpoint;

import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockMeasured;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A small application with a measured service and a lock door, for the endpoint's web
 * tests.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ContentionApp {

	@Bean
	ReentrantLock inventoryLock() {
		return new ReentrantLock();
	}

	@Bean
	Orders orders() {
		return new Orders();
	}

	// Public, so that its proxy can be made in the class loader WebServers.on gives.
	public static class Orders {

		/** Longer than the jvm door's cycle (110 ms), so that every call is sampled. */
		@KnockMeasured
		public String place() {
			java.util.concurrent.locks.LockSupport.parkNanos(120_000_000);
			return "placed";
		}

	}

}
