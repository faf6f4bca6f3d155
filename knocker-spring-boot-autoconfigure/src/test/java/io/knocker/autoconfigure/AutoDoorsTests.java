package io.knocker.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

import io.knocker.Doors;
import io.knocker.KnockKnock;
import io.knocker.WaitingDoor;
import io.knocker.autoconfigure.web.EventLoopDoorListener;
import io.knocker.autoconfigure.web.EventLoopDoorAutoConfiguration;
import io.knocker.autoconfigure.web.HttpDoorListener;
import io.knocker.autoconfigure.web.HttpDoorAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Doors the application already has, knocked on with no configuration. */
@ExtendWith(OutputCaptureExtension.class)
class AutoDoorsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class));

	@Test
	void everyTaskExecutorAndSchedulerIsADoorNamedAfterItsBean() {
		this.contextRunner.withUserConfiguration(Pools.class).run((context) -> {
			Knockers knockers = context.getBean(Knockers.class);
			assertThat(knockers.asMap()).containsOnlyKeys("jvm", "reports", "ticker");
			assertThat(knockers.get("reports").getDoor().kind()).isEqualTo("executor");
			assertThat(knockers.get("reports").isRunning()).isTrue();
		});
	}

	@Test
	void aTaskExecutorTheApplicationHasNotUsedIsNotMadeToStartThreads() {
		this.contextRunner.withUserConfiguration(Pools.class).run((context) -> {
			KnockKnock reports = context.getBean(Knockers.class).get("reports");
			await().atMost(Duration.ofSeconds(5)).until(() -> reports.snapshot().knocks() > 20);
			// Its knocks got straight through: below its core size the pool starts a
			// thread for any task, so none waits. Handed no-ops, it would have started
			// two.
			assertThat(context.getBean("reports", ThreadPoolTaskExecutor.class).getPoolSize()).isZero();
			assertThat(reports.getBusyRatio()).isZero();
		});
	}

	@Test
	void aConfiguredDoorOnTheSameBeanWinsAndNothingIsKnockedOnTwice() {
		this.contextRunner.withUserConfiguration(Pools.class)
			.withPropertyValues("knocker.doors.report-pool.bean=reports",
					"knocker.doors.report-pool.polling-interval=5ms")
			.run((context) -> {
				Knockers knockers = context.getBean(Knockers.class);
				assertThat(knockers.asMap()).containsOnlyKeys("jvm", "report-pool", "ticker");
				assertThat(knockers.get("report-pool").getPollingInterval()).isEqualTo(Duration.ofMillis(5));
			});
	}

	@Test
	void taskExecutorDoorsCanBeTurnedOff() {
		this.contextRunner.withUserConfiguration(Pools.class)
			.withPropertyValues("knocker.auto-doors.task-executors=false")
			.run((context) -> assertThat(context.getBean(Knockers.class).asMap()).containsOnlyKeys("jvm"));
	}

	@Test
	void theHttpDoorCanBeTurnedOff() {
		// The door itself is added once the server has started (HttpDoorTests, on real
		// servers); here, whether the listener that adds it exists.
		WebApplicationContextRunner runner = new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, HttpDoorAutoConfiguration.class));
		runner.run((context) -> assertThat(context).hasSingleBean(HttpDoorListener.class));
		runner.withPropertyValues("knocker.auto-doors.http=false")
			.run((context) -> assertThat(context).doesNotHaveBean(HttpDoorListener.class));
	}

	@Test
	void theEventLoopDoorCanBeTurnedOff() {
		// As for http: EventLoopDoorTests has the door on a real Reactor Netty server.
		ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(KnockerAutoConfiguration.class, EventLoopDoorAutoConfiguration.class));
		runner.run((context) -> assertThat(context).hasSingleBean(EventLoopDoorListener.class));
		runner.withPropertyValues("knocker.auto-doors.event-loop=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EventLoopDoorListener.class));
	}

	@Test
	void anAsyncMethodQueueingOnAOneThreadApplicationTaskExecutorReadsHigh() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(KnockerAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
			.withUserConfiguration(AsyncWork.class)
			.withPropertyValues("spring.task.execution.pool.core-size=1", "spring.task.execution.pool.max-size=1")
			.run((context) -> {
				KnockKnock door = context.getBean(Knockers.class).get("applicationTaskExecutor");
				assertThat(door).isNotNull();
				AsyncWork work = context.getBean(AsyncWork.class);
				// 40 tasks of 50 ms on one thread: two seconds of queue.
				for (int i = 0; i < 40; i++) {
					work.report();
				}
				door.resetContentionMetric();
				LockSupport.parkNanos(1_000_000_000L);
				System.out.printf("applicationTaskExecutor under @Async load: %.3f%n", door.getContentionMetric());
				assertThat(door.getContentionMetric()).isGreaterThan(0.5);
			});
	}

	@Test
	void closingTheContextStopsTheKnocksBeforeTheExecutorsShutDown(CapturedOutput output) {
		// Knocking all the time, every 100 us, so that a knock on a pool shutting down
		// would show.
		this.contextRunner.withUserConfiguration(Pools.class)
			.withPropertyValues("knocker.sleeping-interval=0ms", "knocker.polling-interval=100us")
			.run((context) -> {
				KnockKnock reports = context.getBean(Knockers.class).get("reports");
				await().until(() -> reports.snapshot().knocks() > 100);
				((ConfigurableApplicationContext) context).close();
				assertThat(reports.isRunning()).isFalse();
				assertThat(reports.getFailedKnocks()).isZero();
			});
		assertThat(output).doesNotContain("failed to knock");
	}

	@Test
	void aDoorBeanIsKnockedOnNamedAfterTheBean() {
		Semaphore connections = new Semaphore(1);
		this.contextRunner.withBean("connectionPool", PoolDoor.class, () -> new PoolDoor(connections))
			.run((context) -> {
				KnockKnock pool = context.getBean(Knockers.class).get("connectionPool");
				assertThat(pool.getDoor().kind()).isEqualTo("connection-pool");
				connections.acquire();
				try {
					await().until(() -> pool.getContentionMetric() > 0.9);
				}
				finally {
					connections.release();
				}
			});
	}

	@Test
	void aKnockKnockBeanAddsAKnockerAndOnlyOneNamedJvmReplacesTheJvmKnocker() {
		this.contextRunner
			.withBean("orders", KnockKnock.class,
					() -> KnockKnock.builder().name("orders").door(Doors.semaphore(new Semaphore(1))).build())
			.run((context) -> assertThat(context.getBean(Knockers.class).asMap()).containsOnlyKeys("jvm", "orders"));
		this.contextRunner
			.withBean("jvm", KnockKnock.class, () -> KnockKnock.builder().pollingInterval(Duration.ofMillis(7)).build())
			.run((context) -> {
				Knockers knockers = context.getBean(Knockers.class);
				assertThat(knockers.asMap()).containsOnlyKeys("jvm");
				assertThat(knockers.get("jvm").getPollingInterval()).isEqualTo(Duration.ofMillis(7));
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void withVirtualThreadsOnTheirSchedulerIsADoor() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			KnockKnock door = context.getBean(Knockers.class).get("virtual-threads");
			assertThat(door).isNotNull();
			assertThat(door.getDoor().kind()).isEqualTo("virtual-threads");
			await().until(() -> door.snapshot().knocks() > 20);
			door.resetContentionMetric();
			long knocks = door.snapshot().knocks();
			await().until(() -> door.snapshot().knocks() > knocks + 50);
			// At rest a virtual thread starts within microseconds of being asked to.
			assertThat(door.getContentionMetric()).isLessThan(0.1);
		});
		this.contextRunner
			.withPropertyValues("spring.threads.virtual.enabled=true", "knocker.auto-doors.virtual-threads=false")
			.run((context) -> assertThat(context.getBean(Knockers.class).get("virtual-threads")).isNull());
	}

	@Test
	void withoutVirtualThreadsOnThereIsNoSuchDoor() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(Knockers.class).get("virtual-threads")).isNull());
	}

	@Configuration(proxyBeanMethods = false)
	static class Pools {

		@Bean
		ThreadPoolTaskExecutor reports() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(2);
			return executor;
		}

		@Bean
		ThreadPoolTaskScheduler ticker() {
			return new ThreadPoolTaskScheduler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncWork {

		@Async
		public void report() {
			LockSupport.parkNanos(50_000_000);
		}

	}

	/** A door of the application's own: a connection pool of one, as a semaphore. */
	static class PoolDoor extends WaitingDoor {

		private final Semaphore connections;

		PoolDoor(Semaphore connections) {
			super("connection-pool");
			this.connections = connections;
		}

		@Override
		protected boolean tryKnock() {
			if (this.connections.tryAcquire()) {
				this.connections.release();
				return true;
			}
			return false;
		}

		@Override
		protected void await() throws InterruptedException {
			this.connections.acquire();
			this.connections.release();
		}

	}

}
