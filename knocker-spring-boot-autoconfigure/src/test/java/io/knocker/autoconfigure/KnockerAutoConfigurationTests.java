package io.knocker.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.knocker.Doors;
import io.knocker.KnockKnock;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import io.knocker.autoconfigure.measure.KnockMeasuredBeanPostProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class KnockerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class))
		.withUserConfiguration(DoorBeans.class);

	@Test
	void thePropertiesDefaultsAreTheCoresDefaults() {
		// Written as literals in KnockerProperties so that the IDE shows them.
		assertThat(new KnockerProperties().getHolders().getMaxSamplesPerSecond())
			.isEqualTo(io.knocker.KnockSettings.DEFAULT_HOLDER_SAMPLES_PER_SECOND);
	}

	@Test
	void runsAJvmKnockerWithGilknockersDefaults() {
		this.contextRunner.run((context) -> {
			KnockKnock jvm = context.getBean(Knockers.class).get("jvm");
			assertThat(jvm).isSameAs(context.getBean(KnockKnock.class));
			assertThat(jvm.isRunning()).isTrue();
			assertThat(jvm.getDoor().kind()).isEqualTo("jvm");
			assertThat(jvm.getPollingInterval()).isEqualTo(Duration.ofMillis(1));
			assertThat(jvm.getSamplingInterval()).isEqualTo(Duration.ofMillis(10));
			assertThat(jvm.getSleepingInterval()).isEqualTo(Duration.ofMillis(100));
			assertThat(jvm.getTimeout()).isEqualTo(Duration.ofMillis(101));
		});
	}

	@Test
	void stopsTheKnockersWhenTheContextCloses() {
		KnockKnock[] jvm = new KnockKnock[1];
		this.contextRunner.run((context) -> jvm[0] = context.getBean(KnockKnock.class));
		assertThat(jvm[0].isRunning()).isFalse();
	}

	@Test
	void takesIntervalsFromProperties() {
		this.contextRunner
			.withPropertyValues("knocker.polling-interval=2ms", "knocker.sampling-interval=50ms",
					"knocker.sleeping-interval=1s", "knocker.timeout=3s")
			.run((context) -> {
				KnockKnock jvm = context.getBean(KnockKnock.class);
				assertThat(jvm.getPollingInterval()).isEqualTo(Duration.ofMillis(2));
				assertThat(jvm.getSamplingInterval()).isEqualTo(Duration.ofMillis(50));
				assertThat(jvm.getSleepingInterval()).isEqualTo(Duration.ofSeconds(1));
				assertThat(jvm.getTimeout()).isEqualTo(Duration.ofSeconds(3));
			});
	}

	@Test
	void aReadWriteLockBeanIsKnockedOnAsAReaderWould() {
		this.contextRunner.withBean("catalogLock", ReentrantReadWriteLock.class, ReentrantReadWriteLock::new)
			.withPropertyValues("knocker.doors.catalog.bean=catalogLock")
			.run((context) -> {
				KnockKnock catalog = context.getBean(Knockers.class).get("catalog");
				assertThat(catalog.getDoor().kind()).isEqualTo("read-write-lock");
				ReentrantReadWriteLock lock = context.getBean(ReentrantReadWriteLock.class);
				lock.writeLock().lock();
				try {
					// A writer holds it: every knock waits, as a reader would.
					await().until(() -> catalog.getContentionMetric() > 0.9);
				}
				finally {
					lock.writeLock().unlock();
				}
			});
	}

	@Test
	void aDoorBeanThatIsNotASingletonFailsStartupNamingTheFix() {
		this.contextRunner
			.withBean("perCallLock", ReentrantLock.class, ReentrantLock::new,
					(definition) -> definition.setScope(BeanDefinition.SCOPE_PROTOTYPE))
			.withPropertyValues("knocker.doors.orders.bean=perCallLock")
			.run((context) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("knocker.doors.orders.bean")
					.contains("perCallLock")
					.contains("not a singleton");
				assertThat(analysis.getAction()).contains("singleton");
			});
	}

	@Test
	void holderSamplingCanBeTurnedOff() {
		this.contextRunner.withPropertyValues("knocker.doors.inventory-lock.bean=inventoryLock")
			.withPropertyValues("knocker.holders.enabled=false")
			.run((context) -> {
				KnockKnock door = context.getBean(Knockers.class).get("inventory-lock");
				ReentrantLock lock = context.getBean("inventoryLock", ReentrantLock.class);
				lock.lock();
				try {
					// Busy for a second: at two samples a second, sampling on would have
					// some.
					await().until(() -> door.snapshot().busyKnocks() > 50);
					Thread.sleep(1000);
					assertThat(door.getHolders()).isEmpty();
				}
				finally {
					lock.unlock();
				}
			});
	}

	@Test
	void aZeroSleepingIntervalMeansKnockingAllTheTime() {
		this.contextRunner
			.withPropertyValues("knocker.sleeping-interval=0ms", "knocker.doors.pool.bean=connectionPermits")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Knockers knockers = context.getBean(Knockers.class);
				assertThat(knockers.get("jvm").getSleepingInterval()).isZero();
				assertThat(knockers.get("pool").getSleepingInterval()).isZero();
				// With no sleeps every moment is sampled: 300 ms of running samples most
				// of it.
				long started = System.nanoTime();
				Thread.sleep(300);
				assertThat(knockers.get("pool").snapshot().sampledNanos())
					.isGreaterThan((System.nanoTime() - started) / 2);
			});
	}

	@Test
	void addsAKnockerForEachConfiguredDoorOnTheRightKindOfDoor() {
		this.contextRunner
			.withPropertyValues("knocker.polling-interval=2ms", "knocker.doors.inventory-lock.bean=inventoryLock",
					"knocker.doors.inventory-lock.polling-interval=5ms", "knocker.doors.pool.bean=connectionPermits",
					"knocker.doors.workers.bean=workers", "knocker.doors.ledger.bean=ledgerMonitor",
					"knocker.doors.ledger.kind=monitor")
			.run((context) -> {
				Knockers knockers = context.getBean(Knockers.class);
				assertThat(knockers.asMap()).containsOnlyKeys("jvm", "inventory-lock", "pool", "workers", "ledger");
				KnockKnock lock = knockers.get("inventory-lock");
				assertThat(lock.getDoor().kind()).isEqualTo("lock");
				assertThat(lock.isRunning()).isTrue();
				assertThat(lock.getPollingInterval()).isEqualTo(Duration.ofMillis(5));
				// Unset intervals follow the door's own polling interval by gilknocker's
				// rule.
				assertThat(lock.getSamplingInterval()).isEqualTo(Duration.ofMillis(50));
				assertThat(lock.getSleepingInterval()).isEqualTo(Duration.ofMillis(500));
				// A door without intervals of its own takes the top level's, resolved.
				assertThat(knockers.get("pool").getSamplingInterval()).isEqualTo(Duration.ofMillis(20));
				assertThat(knockers.get("pool").getDoor().kind()).isEqualTo("semaphore");
				assertThat(knockers.get("pool").getPollingInterval()).isEqualTo(Duration.ofMillis(2));
				assertThat(knockers.get("workers").getDoor().kind()).isEqualTo("executor");
				assertThat(knockers.get("ledger").getDoor().kind()).isEqualTo("monitor");
			});
	}

	@Test
	void aDoorGivenOnlyAPollingIntervalDerivesTheRestFromIt() {
		// Once a startup failure: the sampling interval fell back to the jvm knocker's
		// 10 ms, shorter than the door's polling.
		this.contextRunner
			.withPropertyValues("knocker.doors.pool.bean=connectionPermits", "knocker.doors.pool.polling-interval=50ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				KnockKnock pool = context.getBean(Knockers.class).get("pool");
				assertThat(pool.getSamplingInterval()).isEqualTo(Duration.ofMillis(500));
				assertThat(pool.getSleepingInterval()).isEqualTo(Duration.ofSeconds(5));
				assertThat(pool.getTimeout()).isEqualTo(Duration.ofMillis(5001));
			});
	}

	@Test
	void automaticDoorsTakeTheHolderSettingFromTheProperties() {
		// Once a defect: automatic doors sampled holders at 2/s whatever the properties
		// said.
		this.contextRunner.withBean("ordersDoor", io.knocker.Door.class, () -> Doors.lock(new ReentrantLock()))
			.withPropertyValues("knocker.holders.enabled=false")
			.run((context) -> {
				Knockers knockers = context.getBean(Knockers.class);
				assertThat(knockers.get("ordersDoor").samplesHolders()).isFalse();
				knockers.addDoor("late", Doors.monitor(new Object()));
				assertThat(knockers.get("late").samplesHolders()).isFalse();
			});
		this.contextRunner.withBean("ordersDoor", io.knocker.Door.class, () -> Doors.lock(new ReentrantLock()))
			.run((context) -> assertThat(context.getBean(Knockers.class).get("ordersDoor").samplesHolders()).isTrue());
	}

	@Test
	void doorsAddedLateFollowThePropertiesNotTheApplicationsOwnJvmKnocker() {
		this.contextRunner.withUserConfiguration(OwnKnocker.class)
			.withPropertyValues("knocker.polling-interval=3ms")
			.run((context) -> {
				Knockers knockers = context.getBean(Knockers.class);
				knockers.addDoor("late", Doors.semaphore(new Semaphore(1)));
				assertThat(knockers.get("jvm").getPollingInterval()).isEqualTo(Duration.ofMillis(7));
				assertThat(knockers.get("late").getPollingInterval()).isEqualTo(Duration.ofMillis(3));
			});
	}

	@Test
	void backsOffFromTheApplicationsOwnKnocker() {
		this.contextRunner.withUserConfiguration(OwnKnocker.class).run((context) -> {
			assertThat(context).hasSingleBean(KnockKnock.class);
			KnockKnock own = context.getBean(KnockKnock.class);
			assertThat(own.getPollingInterval()).isEqualTo(Duration.ofMillis(7));
			assertThat(context.getBean(Knockers.class).get("jvm")).isSameAs(own);
			assertThat(own.isRunning()).isTrue();
		});
	}

	@Test
	void aKnockKnockBeanOfAnotherNameCalledJvmFailsStartupSayingHowToReplaceTheJvmKnocker() {
		this.contextRunner
			.withBean("myKnocker", KnockKnock.class,
					() -> KnockKnock.builder().pollingInterval(Duration.ofMillis(7)).build())
			.run((context) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("two knockers are named 'jvm'");
				assertThat(analysis.getAction()).contains("KnockKnock or Door bean");
			});
	}

	@Test
	void canBeDisabled() {
		this.contextRunner.withPropertyValues("knocker.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(KnockKnock.class);
			assertThat(context).doesNotHaveBean(Knockers.class);
			assertThat(context).doesNotHaveBean(KnockMeasuredBeanPostProcessor.class);
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					knocker.polling-interval                 | 0ms   | knocker.polling-interval               | must be a positive duration
					knocker.polling-interval                 | -1ms  | knocker.polling-interval               | must be a positive duration
					knocker.pollingInterval                  | -1ms  | knocker.polling-interval               | must be a positive duration
					knocker.polling-interval                 | 1ns   | knocker.polling-interval               | must be at least 10us
					knocker.sampling-interval                | 0s    | knocker.sampling-interval              | must be a positive duration
					knocker.sampling-interval                | 500us | knocker.sampling-interval              | must be at least polling-interval (1ms)
					knocker.sleeping-interval                | -5ms  | knocker.sleeping-interval              | must be zero or a positive duration
					knocker.timeout                          | 0ms   | knocker.timeout                        | must be a positive duration
					knocker.doors.pool.polling-interval      | -1ms  | knocker.doors.pool.polling-interval    | must be a positive duration
					knocker.doors.pool.sampling-interval     | 500us | knocker.doors.pool.sampling-interval   | must be at least polling-interval (1ms)
					knocker.doors.pool.timeout               | 0ms   | knocker.doors.pool.timeout             | must be a positive duration
					knocker.holders.max-samples-per-second   | -1    | knocker.holders.max-samples-per-second | the rate must be positive
					knocker.requests.max-endpoints           | -1    | knocker.requests.max-endpoints         | cannot be negative
					knocker.requests.max-open                | 0s    | knocker.requests.max-open              | must be given some time to stop
					""")
	void anInvalidValueFailsStartupBeforeAnyBeanQuotingThePropertyAsWritten(String property, String value, String named,
			String problem) {
		BeanCreated.reset();
		this.contextRunner.withPropertyValues("knocker.doors.pool.bean=connectionPermits", property + "=" + value)
			.withUserConfiguration(BeanCreated.class)
			.run((context) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains(named + ": " + value + System.lineSeparator())
					.contains("Origin: \"" + property + "\" from property source")
					.contains(problem)
					.doesNotContain("PT");
				assertThat(analysis.getAction()).contains("Set " + named + " to");
				// Before the application's own beans, and so before its database pool or
				// JPA.
				assertThat(BeanCreated.created).as("an application bean was created").isFalse();
			});
	}

	@Test
	void anUnknownDoorBeanFailsStartupNamingTheProperty() {
		BeanCreated.reset();
		this.contextRunner.withPropertyValues("knocker.doors.orders.bean=orderLock")
			.withUserConfiguration(BeanCreated.class)
			.run((context) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("knocker.doors.orders.bean: orderLock")
					.contains("there is no bean named 'orderLock'");
				assertThat(analysis.getAction()).contains("Define a bean named 'orderLock'");
				assertThat(BeanCreated.created).as("an application bean was created").isFalse();
			});
	}

	@Test
	void aDoorWithoutABeanFailsStartup() {
		this.contextRunner.withPropertyValues("knocker.doors.orders.polling-interval=1ms").run((context) -> {
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("knocker.doors.orders.bean").contains("Value: null");
			assertThat(analysis.getAction()).contains("Set knocker.doors.orders.bean to the name of a Lock");
		});
	}

	@Test
	void aDoorBeanNobodyWaitsOnFailsStartup() {
		this.contextRunner.withPropertyValues("knocker.doors.orders.bean=greeting", "knocker.doors.orders.kind=monitor")
			.run((context) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("knocker.doors.orders.bean")
					.contains("is a java.lang.String, which no thread waits on");
			});
	}

	@Test
	void aBeanOfATypeKnockerDoesNotKnowNeedsKindMonitorWrittenOut() {
		// Once, any such bean silently became a monitor nobody synchronizes on: a 0
		// forever.
		this.contextRunner.withPropertyValues("knocker.doors.ledger.bean=ledgerMonitor").run((context) -> {
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("knocker.doors.ledger.kind")
				.contains("is a java.lang.Object, which Knocker does not know how to knock on");
			assertThat(analysis.getAction()).contains("knocker.doors.ledger.kind: monitor")
				.contains("lock, read-write-lock, semaphore, executor, connection-pool, monitor");
		});
		this.contextRunner
			.withPropertyValues("knocker.doors.ledger.bean=ledgerMonitor", "knocker.doors.ledger.kind=monitor")
			.run((context) -> assertThat(context.getBean(Knockers.class).get("ledger").getDoor().kind())
				.isEqualTo("monitor"));
	}

	@Test
	void aKindThatDoesNotFitTheBeanFailsStartup() {
		this.contextRunner
			.withPropertyValues("knocker.doors.pool.bean=connectionPermits", "knocker.doors.pool.kind=lock")
			.run((context) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("knocker.doors.pool.kind")
					.contains("Value: lock")
					.contains("java.util.concurrent.Semaphore, which cannot be knocked on as a lock");
				assertThat(analysis.getAction()).contains("such as semaphore, or remove it");
			});
		this.contextRunner
			.withPropertyValues("knocker.doors.pool.bean=connectionPermits", "knocker.doors.pool.kind=semaphore")
			.run((context) -> assertThat(context.getBean(Knockers.class).get("pool").getDoor().kind())
				.isEqualTo("semaphore"));
	}

	@Test
	void aLockCanBeKnockedOnAsTheMonitorTheApplicationSynchronizesOn() {
		this.contextRunner
			.withPropertyValues("knocker.doors.inventory.bean=inventoryLock", "knocker.doors.inventory.kind=monitor")
			.run((context) -> assertThat(context.getBean(Knockers.class).get("inventory").getDoor().kind())
				.isEqualTo("monitor"));
	}

	@Test
	void aDoorBeanTakesNoKind() {
		this.contextRunner.withBean("ordersDoor", io.knocker.Door.class, () -> Doors.lock(new ReentrantLock()))
			.withPropertyValues("knocker.doors.orders.bean=ordersDoor", "knocker.doors.orders.kind=semaphore")
			.run((context) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("knocker.doors.orders.kind")
					.contains("is a Door of its own, of kind 'lock'");
			});
	}

	@Test
	void aDoorNameThatCannotBeATagOrAPathFailsStartup() {
		this.contextRunner.withPropertyValues("knocker.doors[inventory lock].bean=inventoryLock").run((context) -> {
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("knocker.doors.inventory lock")
				.contains("hold only letters, digits");
			assertThat(analysis.getAction()).contains("'inventory-lock'");
		});
	}

	@Test
	void aDoorNamedJvmFailsStartup() {
		this.contextRunner.withPropertyValues("knocker.doors.jvm.bean=inventoryLock").run((context) -> {
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("knocker.doors.jvm").contains("always exists");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class DoorBeans {

		@Bean
		ReentrantLock inventoryLock() {
			return new ReentrantLock();
		}

		@Bean
		Semaphore connectionPermits() {
			return new Semaphore(4);
		}

		@Bean(destroyMethod = "shutdown")
		ExecutorService workers() {
			return Executors.newFixedThreadPool(2);
		}

		@Bean
		Object ledgerMonitor() {
			return new Object();
		}

		@Bean
		String greeting() {
			return "hello";
		}

	}

	/** An application bean that says whether it was created. */
	@Configuration(proxyBeanMethods = false)
	static class BeanCreated {

		static volatile boolean created;

		BeanCreated() {
			created = true;
		}

		static void reset() {
			created = false;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnKnocker {

		@Bean
		KnockKnock jvm() {
			return KnockKnock.builder().door(Doors.jvm()).pollingInterval(Duration.ofMillis(7)).build();
		}

	}

}
