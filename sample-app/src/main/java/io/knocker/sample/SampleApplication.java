package io.knocker.sample;

import java.util.concurrent.locks.ReentrantLock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A small shop: checkout queues on the inventory lock and sends a receipt in the
 * background, the catalog works lock-free, and reports put the heap under pressure.
 * Knocker shows the contention where each one causes it.
 */
@SpringBootApplication
@EnableAsync
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

	/** The lock every checkout takes; knocked on as the door {@code inventory-lock}. */
	@Bean
	ReentrantLock inventoryLock() {
		return new ReentrantLock();
	}

}
