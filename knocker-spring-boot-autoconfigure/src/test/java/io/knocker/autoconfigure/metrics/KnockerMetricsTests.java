package io.knocker.autoconfigure.metrics;

import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import io.knocker.KnockKnock;
import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import io.knocker.autoconfigure.measure.MeasuredMethods;
import io.knocker.autoconfigure.measure.MethodContention;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

class KnockerMetricsTests {

	/** Spring Boot's metrics auto-configuration, Boot 4's or Boot 3.5's. */
	static final Class<?> METRICS = metricsAutoConfiguration("MetricsAutoConfiguration");

	/** Spring Boot's composite registry, made when there are several. */
	static final Class<?> COMPOSITE = metricsAutoConfiguration("CompositeMeterRegistryAutoConfiguration");

	/**
	 * One of Spring Boot's metrics auto-configurations, in Boot 4's package or Boot
	 * 3.5's.
	 */
	private static Class<?> metricsAutoConfiguration(String simpleName) {
		return Stream
			.of("org.springframework.boot.micrometer.metrics.autoconfigure." + simpleName,
					"org.springframework.boot.actuate.autoconfigure.metrics." + simpleName)
			.filter((name) -> ClassUtils.isPresent(name, null))
			.map((name) -> ClassUtils.resolveClassName(name, null))
			.findFirst()
			.orElseThrow();
	}

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class,
				KnockerMetricsAutoConfiguration.class, METRICS))
		.withUserConfiguration(Registry.class)
		// Every call sampled (no sleeps between windows), so that each records a value.
		.withPropertyValues("knocker.doors.inventory-lock.bean=inventoryLock", "knocker.sleeping-interval=0ms");

	@Test
	void registersTheContractsMetersPerDoor() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (String door : new String[] { "jvm", "inventory-lock" }) {
				Gauge contention = registry.find("knocker.contention").tag("door", door).gauge();
				FunctionCounter contended = registry.find("knocker.contended").tag("door", door).functionCounter();
				FunctionCounter sampled = registry.find("knocker.sampled").tag("door", door).functionCounter();
				assertThat(contention).as(door).isNotNull();
				assertThat(contended).as(door).isNotNull();
				assertThat(sampled).as(door).isNotNull();
				assertThat(sampled.getId().getBaseUnit()).isEqualTo("seconds");
			}
			for (String counter : new String[] { "knocker.knocks", "knocker.knocks.busy", "knocker.knocks.failed" }) {
				assertThat(registry.find(counter).tag("door", "inventory-lock").functionCounter()).as(counter)
					.isNotNull();
			}
			// Pauses are the jvm door's alone.
			assertThat(registry.find("knocker.gc.pause").tag("door", "jvm").functionCounter()).isNotNull();
			assertThat(registry.find("knocker.gc.pause").tag("door", "inventory-lock").functionCounter()).isNull();
			FunctionCounter sampled = registry.find("knocker.sampled").tag("door", "jvm").functionCounter();
			double before = sampled.count();
			await().untilAsserted(() -> assertThat(sampled.count()).isGreaterThan(before));
		});
	}

	@Test
	void theContentionGaugeFollowsItsDoor() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			ReentrantLock lock = context.getBean("inventoryLock", ReentrantLock.class);
			Gauge held = registry.find("knocker.contention").tag("door", "inventory-lock").gauge();
			Gauge jvm = registry.find("knocker.contention").tag("door", "jvm").gauge();
			lock.lock();
			try {
				// Held from the start: every knock waits, so the gauge climbs to 1.
				await().untilAsserted(() -> assertThat(held.value()).isGreaterThan(0.9));
			}
			finally {
				lock.unlock();
			}
			// The jvm gauge is the jvm door's own figure, not the held door's (which CPU
			// starvation alone can lift past a fixed band: 0.59 beside two spinning
			// loops).
			KnockKnock jvmDoor = context.getBean(Knockers.class).get("jvm");
			assertThat(jvm.value()).isCloseTo(jvmDoor.getContentionMetric(), within(0.05));
		});
	}

	@Test
	void countsFailedKnocksPerDoor() {
		this.contextRunner.withBean("rejecting", java.util.concurrent.Executor.class, () -> (task) -> {
			throw new java.util.concurrent.RejectedExecutionException("full");
		}).withPropertyValues("knocker.doors.rejecting.bean=rejecting").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			FunctionCounter rejected = registry.find("knocker.knocks.failed")
				.tag("door", "rejecting")
				.functionCounter();
			FunctionCounter fine = registry.find("knocker.knocks.failed").tag("door", "jvm").functionCounter();
			await().untilAsserted(() -> assertThat(rejected.count()).isGreaterThan(3));
			assertThat(fine.count()).isZero();
		});
	}

	@Test
	void recordsEachSampledCallOfAMeasuredMethod() {
		this.contextRunner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			DistributionSummary summary = registry.find("knocker.method.contention")
				.tags("method", "Orders.place", "door", "inventory-lock")
				.summary();
			assertThat(summary).isNotNull();
			Orders orders = context.getBean(Orders.class);
			orders.place();
			orders.place();
			assertThat(summary.count()).isEqualTo(2);
			// Nobody else takes the lock: both calls read it free.
			assertThat(summary.max()).isLessThan(0.1);
			ReentrantLock lock = context.getBean("inventoryLock", ReentrantLock.class);
			lock.lock();
			try {
				orders.place();
			}
			finally {
				lock.unlock();
			}
			assertThat(summary.count()).isEqualTo(3);
			assertThat(summary.max()).isGreaterThan(0.5);
			// Fixed cumulative buckets every 0.05, so that quantiles aggregate across
			// instances:
			// the two free calls at most 0.05, the held one above 0.5.
			assertThat(bucket(registry, "0.05")).isEqualTo(2);
			assertThat(bucket(registry, "0.5")).isEqualTo(2);
			assertThat(bucket(registry, "1.0")).isEqualTo(3);
			assertThat(bucket(registry, "+Inf")).isEqualTo(3);
			// The calls' own wait: the held call ran on the thread that held the lock,
			// so no call ever waited at it.
			DistributionSummary waited = registry.find("knocker.method.waited")
				.tags("method", "Orders.place", "door", "inventory-lock")
				.summary();
			assertThat(waited.count()).isEqualTo(3);
			assertThat(waited.max()).isLessThan(0.05);
			assertThat(registry.find("knocker.method.waited.buckets").tag("le", "0.05").functionCounter().count())
				.isEqualTo(3);
		});
	}

	@Test
	void inPrometheusEachPerCallShareIsAHistogramWithFractionalBucketsAndTheCommonTags() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(COMPOSITE))
			.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
			.withPropertyValues("management.metrics.tags.application=shop")
			.run((context) -> {
				assertThat(context.getBean(MeterRegistry.class)).isInstanceOf(CompositeMeterRegistry.class);
				Orders orders = context.getBean(Orders.class);
				orders.place();
				orders.place();
				ReentrantLock lock = context.getBean("inventoryLock", ReentrantLock.class);
				lock.lock();
				try {
					orders.place();
				}
				finally {
					lock.unlock();
				}
				String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
				// The _bucket series histogram_quantile reads, every 0.05: the two free
				// calls at most 0.05, the held one above 0.5.
				assertThat(series(scrape, "knocker_method_contention_bucket", "le=\"0.05\"")).isEqualTo(2);
				assertThat(series(scrape, "knocker_method_contention_bucket", "le=\"0.5\"")).isEqualTo(2);
				assertThat(series(scrape, "knocker_method_contention_bucket", "le=\"1.0\"")).isEqualTo(3);
				assertThat(series(scrape, "knocker_method_contention_bucket", "le=\"+Inf\"")).isEqualTo(3);
				assertThat(series(scrape, "knocker_method_contention_count", "")).isEqualTo(3);
				assertThat(series(scrape, "knocker_method_waited_bucket", "le=\"0.05\"")).isEqualTo(3);
				// Nothing else of the figures there: no Micrometer summary, no counters,
				// no
				// probe of the common tags.
				assertThat(scrape).doesNotContain("knocker_method_contention_buckets")
					.doesNotContain("knocker_method_contention_labels")
					.doesNotContain("knocker_method_contention_max");
				// The other registries keep Micrometer's summary and the counters beside
				// it.
				SimpleMeterRegistry simple = context.getBean(SimpleMeterRegistry.class);
				assertThat(simple.find("knocker.method.contention").tag("application", "shop").summary().count())
					.isEqualTo(3);
				assertThat(simple.find("knocker.method.contention.buckets").tag("le", "0.05").functionCounter().count())
					.isEqualTo(2);
			});
	}

	/**
	 * The value of the one series of the scrape named {@code name} with the shop's tags
	 * and the label given.
	 */
	private static double series(String scrape, String name, String label) {
		List<String> lines = scrape.lines()
			.filter((line) -> line.startsWith(name + "{") && line.contains(label)
					&& line.contains("application=\"shop\"") && line.contains("door=\"inventory-lock\"")
					&& line.contains("method=\"Orders.place\""))
			.toList();
		assertThat(lines).as(scrape).hasSize(1);
		return Double.parseDouble(lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1));
	}

	@Test
	void aCallThatSpansNoSamplingWindowRecordsNothingRatherThanZero() {
		this.contextRunner.withPropertyValues("knocker.sleeping-interval=10s").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			MethodContention place = context.getBean(MeasuredMethods.class).asMap().get("Orders.place");
			// The first 10 ms window is over: the knocker sleeps for ten seconds.
			java.util.concurrent.locks.LockSupport.parkNanos(100_000_000);
			context.getBean(Orders.class).place();
			assertThat(place.getCalls()).isOne();
			assertThat(place.getSampledCalls()).isZero();
			assertThat(registry.find("knocker.method.contention").tag("method", "Orders.place").summary().count())
				.isZero();
			assertThat(registry.find("knocker.method.waited").tag("method", "Orders.place").summaries())
				.allSatisfy((waited) -> assertThat(waited.count()).isZero());
		});
	}

	@Test
	void aDoorThatCannotTellRecordsNoWaitedShareNotZero() {
		this.contextRunner
			.withBean("workers", java.util.concurrent.ExecutorService.class,
					() -> java.util.concurrent.Executors.newFixedThreadPool(1))
			.withBean(Shipping.class)
			.withPropertyValues("knocker.doors.workers.bean=workers")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(Shipping.class).ship();
				context.getBean(Shipping.class).ship();
				assertThat(registry.find("knocker.method.contention").tag("method", "Shipping.ship").summary().count())
					.isEqualTo(2);
				assertThat(registry.find("knocker.method.waited").tag("method", "Shipping.ship").summary()).isNull();
			});
	}

	@Test
	void contentionBucketsCountFractionalValuesWhereTheyFall() {
		// Micrometer's own histograms round values up to whole numbers: 0.32 would count
		// in 1.0.
		ContentionBuckets buckets = new ContentionBuckets();
		for (double contention : new double[] { 0.0, 0.32, 0.32, 0.61, 0.97, 1.0, 0.15 }) {
			buckets.record(contention);
		}
		assertThat(buckets.cumulative(0)).isEqualTo(1);
		// 0.15 sits on a bound and counts in it.
		assertThat(buckets.cumulative(2)).isEqualTo(2);
		assertThat(buckets.cumulative(5)).isEqualTo(2);
		assertThat(buckets.cumulative(6)).isEqualTo(4);
		assertThat(buckets.cumulative(12)).isEqualTo(5);
		assertThat(buckets.cumulative(18)).isEqualTo(5);
		assertThat(buckets.cumulative(19)).isEqualTo(7);
	}

	private static double bucket(MeterRegistry registry, String le) {
		return registry.find("knocker.method.contention.buckets")
			.tags("method", "Orders.place", "le", le)
			.functionCounter()
			.count();
	}

	@Test
	void backsOffWithoutMicrometer() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(KnockerAutoConfiguration.class, KnockerMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(KnockerMetrics.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Registry {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ReentrantLock inventoryLock() {
			return new ReentrantLock();
		}

		@Bean
		Orders orders() {
			return new Orders();
		}

	}

	static class Shipping {

		@KnockMeasured(door = "workers")
		public void ship() {
			java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
		}

	}

	static class Orders {

		@KnockMeasured(door = "inventory-lock")
		public void place() {
			// Twenty polling intervals: a call this long all but surely sees a knock, so
			// it is sampled.
			java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
		}

	}

}
