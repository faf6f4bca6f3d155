package io.knocker.autoconfigure.observation;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** A measured call's contention lands on the request's observation, as key values. */
class ContentionKeyValuesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class,
				KnockerObservationAutoConfiguration.class))
		.withBean("inventoryLock", ReentrantLock.class, ReentrantLock::new)
		.withBean(Orders.class, Orders::new)
		.withPropertyValues("knocker.doors.inventory-lock.bean=inventoryLock",
				// Every call sampled: a knock every polling interval, no sleeps.
				"knocker.doors.inventory-lock.sleeping-interval=0ms");

	@Test
	void aMeasuredCallAddsItsContentionAndDoorToTheCurrentObservation() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry).run((context) -> {
			Orders orders = context.getBean(Orders.class);
			ReentrantLock lock = context.getBean(ReentrantLock.class);
			Observation request = Observation.createNotStarted("http.server.requests", registry);
			lock.lock();
			try {
				request.observe(orders::place);
			}
			finally {
				lock.unlock();
			}
			// Outside any observation the call is measured as ever, and nothing breaks.
			orders.place();
			TestObservationRegistryAssert.assertThat(registry)
				.hasObservationWithNameEqualTo("http.server.requests")
				.that()
				.hasHighCardinalityKeyValue("knocker.door", "inventory-lock")
				.hasHighCardinalityKeyValueWithKey("knocker.contention")
				// The caller held the lock itself: it never waited at it.
				.hasHighCardinalityKeyValue("knocker.waited", "0.0");
			String contention = request.getContext().getHighCardinalityKeyValue("knocker.contention").getValue();
			// The lock was held by the caller all along: near 1 (0.89 on a loaded
			// machine); a free door reads 0.
			assertThat(Double.parseDouble(contention)).isGreaterThan(0.5);
		});
	}

	@Test
	void withoutMicrometerObservationNothingIsLoaded() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class,
					KnockMeasuredAutoConfiguration.class, KnockerObservationAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer.observation"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ContentionKeyValues.class);
			});
	}

	static class Orders {

		@KnockMeasured(door = "inventory-lock")
		public void place() {
			LockSupport.parkNanos(20_000_000);
		}

	}

}
