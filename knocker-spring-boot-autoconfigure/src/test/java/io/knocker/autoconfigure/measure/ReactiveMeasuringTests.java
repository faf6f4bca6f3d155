package io.knocker.autoconfigure.measure;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.KnockerAutoConfiguration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reactive results are measured from subscription to termination, not when the method
 * returns.
 */
class ReactiveMeasuringTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class))
		.withBean("inventoryLock", ReentrantLock.class, ReentrantLock::new)
		.withBean(Stock.class, Stock::new)
		.withPropertyValues("knocker.doors.inventory-lock.bean=inventoryLock");

	@Test
	void aMonoIsMeasuredUntilItCompletes() {
		this.contextRunner.run((context) -> {
			Stock stock = context.getBean(Stock.class);
			ReentrantLock lock = context.getBean(ReentrantLock.class);
			Mono<String> reserved = stock.reserve();
			lock.lock();
			try {
				// The method returned at once; its Mono takes 300 ms, all of it with the
				// door held.
				StepVerifier.create(reserved).expectNext("reserved").verifyComplete();
			}
			finally {
				lock.unlock();
			}
			MethodContention method = context.getBean(MeasuredMethods.class).asMap().get("Stock.reserve");
			assertThat(method.getCalls()).isEqualTo(1);
			assertThat(method.getSampledCalls()).isEqualTo(1);
			assertThat(method.getLastContention()).isGreaterThan(0.8);
		});
	}

	@Test
	void eachSubscriptionOfAFluxIsACallAndAnErrorCountsAsFailed() {
		this.contextRunner.run((context) -> {
			Stock stock = context.getBean(Stock.class);
			Flux<Integer> items = stock.items();
			StepVerifier.create(items).expectNext(1, 2, 3).verifyComplete();
			StepVerifier.create(items).expectNext(1, 2, 3).verifyComplete();
			StepVerifier.create(stock.fail()).verifyError(IllegalStateException.class);
			MeasuredMethods methods = context.getBean(MeasuredMethods.class);
			assertThat(methods.asMap().get("Stock.items").getCalls()).isEqualTo(2);
			assertThat(methods.asMap().get("Stock.items").getFailedCalls()).isZero();
			assertThat(methods.asMap().get("Stock.fail").getCalls()).isEqualTo(1);
			assertThat(methods.asMap().get("Stock.fail").getFailedCalls()).isEqualTo(1);
		});
	}

	@Test
	void aCancelledSubscriptionEndsItsCall() {
		this.contextRunner.run((context) -> {
			Stock stock = context.getBean(Stock.class);
			StepVerifier.create(stock.endless()).expectNextCount(3).thenCancel().verify();
			MethodContention method = context.getBean(MeasuredMethods.class).asMap().get("Stock.endless");
			assertThat(method.getCalls()).isEqualTo(1);
			assertThat(method.getFailedCalls()).isZero();
		});
	}

	static class Stock {

		@KnockMeasured(door = "inventory-lock")
		public Mono<String> reserve() {
			return Mono.delay(Duration.ofMillis(300)).thenReturn("reserved");
		}

		@KnockMeasured
		public Flux<Integer> items() {
			return Flux.just(1, 2, 3).delayElements(Duration.ofMillis(10));
		}

		@KnockMeasured
		public Mono<String> fail() {
			return Mono.delay(Duration.ofMillis(10)).then(Mono.error(new IllegalStateException("sold out")));
		}

		@KnockMeasured
		public Flux<Long> endless() {
			return Flux.interval(Duration.ofMillis(5));
		}

	}

}
