package io.knocker.autoconfigure.measure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
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
			MeasuredMethods methods = context.getBean(MeasuredMethods.class);
			AtomicLong callsWhenDone = new AtomicLong(-1);
			lock.lock();
			try {
				// The method returned at once; its Mono takes 300 ms, all of it with the
				// door held.
				StepVerifier.create(reserved.doOnSuccess((value) -> callsWhenDone.set(calls(methods, "Stock.reserve"))))
					.expectNext("reserved")
					.verifyComplete();
			}
			finally {
				lock.unlock();
			}
			// Booked before the value reached the subscriber, on whatever thread.
			assertThat(callsWhenDone).hasValue(1);
			MethodContention method = methods.asMap().get("Stock.reserve");
			assertThat(method.getCalls()).isEqualTo(1);
			assertThat(method.getSampledCalls()).isEqualTo(1);
			assertThat(method.getLastContention()).isGreaterThan(0.8);
			// No one thread waited for it: no waited figure, never 0, and no thread
			// looked at.
			assertThat(method.getMeanWaited()).isNull();
			assertThat(method.getWaitedCalls()).isZero();
		});
	}

	@Test
	void eachSubscriptionOfAFluxIsACallAndAnErrorCountsAsFailed() {
		this.contextRunner.run((context) -> {
			Stock stock = context.getBean(Stock.class);
			Flux<Integer> items = stock.items();
			MeasuredMethods methods = context.getBean(MeasuredMethods.class);
			AtomicLong itemsWhenDone = new AtomicLong(-1);
			AtomicLong failsWhenDone = new AtomicLong(-1);
			StepVerifier.create(items).expectNext(1, 2, 3).verifyComplete();
			StepVerifier.create(items.doOnComplete(() -> itemsWhenDone.set(calls(methods, "Stock.items"))))
				.expectNext(1, 2, 3)
				.verifyComplete();
			StepVerifier.create(stock.fail().doOnError((ex) -> failsWhenDone.set(calls(methods, "Stock.fail"))))
				.verifyError(IllegalStateException.class);
			// Each call was booked before its end reached the subscriber (they end on
			// Reactor's timer thread, not this one).
			assertThat(itemsWhenDone).hasValue(2);
			assertThat(failsWhenDone).hasValue(1);
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

	private static long calls(MeasuredMethods methods, String name) {
		MethodContention method = methods.asMap().get(name);
		return (method != null) ? method.getCalls() : 0;
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
