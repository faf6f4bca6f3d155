package io.knocker.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockKnock;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Knockers come and go with the context, and never hold its closing up past their
 * timeout.
 */
public class KnockerLifecycleTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class))
		.withUserConfiguration(Doors.class)
		.withPropertyValues("knocker.doors.inventory-lock.bean=inventoryLock");

	@Test
	void fiftyStartsAndClosesLeaveNoKnockerThreadAlive() {
		long before = knockerThreads();
		for (int i = 0; i < 50; i++) {
			this.contextRunner.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(Knockers.class).all()).allMatch(KnockKnock::isRunning);
			});
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> knockerThreads() <= before);
	}

	@Test
	void closingWhileADoorIsHeldForeverTakesNoLongerThanTheTimeout() throws Exception {
		Object monitor = new Object();
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread holder = new Thread(() -> {
			synchronized (monitor) {
				held.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		});
		holder.start();
		held.await();
		long[] closing = new long[1];
		this.contextRunner.withBean("ledger", Object.class, () -> monitor)
			.withPropertyValues("knocker.doors.ledger.bean=ledger", "knocker.doors.ledger.kind=monitor")
			.run((context) -> {
				await().atMost(Duration.ofSeconds(5))
					.until(() -> context.getBean(Knockers.class).get("ledger").getContentionMetric() > 0.9);
				closing[0] = System.nanoTime();
			});
		long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing[0]);
		// One knocker's timeout (101 ms) is spent on the stuck door; the margin covers a
		// slow machine.
		assertThat(closeMillis).isLessThan(101 + 500);
		release.countDown();
		holder.join();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> Thread.getAllStackTraces()
				.keySet()
				.stream()
				.noneMatch((thread) -> thread.getName().equals("knocker-ledger")));
	}

	public static long knockerThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith("knocker")).count();
	}

	@Configuration(proxyBeanMethods = false)
	static class Doors {

		@Bean
		ReentrantLock inventoryLock() {
			return new ReentrantLock();
		}

	}

}
