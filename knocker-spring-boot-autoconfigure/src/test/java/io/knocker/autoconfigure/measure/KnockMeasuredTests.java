package io.knocker.autoconfigure.measure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockKnock;
import io.knocker.KnockMeasured;
import io.knocker.KnockSnapshot;
import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.LockHammer;
import io.knocker.autoconfigure.FailureAnalyses;
import io.knocker.autoconfigure.Knockers;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class KnockMeasuredTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class))
		.withUserConfiguration(Services.class)
		.withPropertyValues("knocker.doors.inventory-lock.bean=inventoryLock");

	@Test
	void measuresAnnotatedMethodsAndEveryPublicMethodOfAnAnnotatedClass() {
		this.contextRunner.run((context) -> {
			MeasuredMethods methods = context.getBean(MeasuredMethods.class);
			// Known from startup, before any call.
			assertThat(methods.asMap()).containsOnlyKeys("Inventory.reserve", "checkout", "Inventory.holdIdle",
					"Stock.take", "Stock.count", "Reports.daily", "Reports.weekly");
			assertThat(methods.asMap().get("checkout").getDoor()).isEqualTo("inventory-lock");
			Inventory inventory = context.getBean(Inventory.class);
			inventory.reserve(1);
			inventory.reserve(2);
			inventory.count();
			context.getBean(Reports.class).daily();
			assertThat(methods.asMap().get("Inventory.reserve").getCalls()).isEqualTo(2);
			// A call longer than the door's cycle (a 10 ms window every 110 ms) spans
			// windows' worth of knocks: it is sampled.
			inventory.hold(120);
			assertThat(methods.asMap().get("checkout").getSampledCalls()).isEqualTo(1);
			assertThat(methods.asMap().get("Reports.daily").getCalls()).isEqualTo(1);
			assertThat(methods.asMap()).doesNotContainKey("Inventory.count");
		});
	}

	@Test
	void eachMeasuredCallIsAFlightRecorderEvent(@TempDir Path dir) {
		this.contextRunner.run((context) -> {
			Path file = dir.resolve("calls.jfr");
			try (Recording recording = new Recording()) {
				recording.enable("io.knocker.MeasuredCall");
				recording.start();
				// Longer than the door's cycle: sampled.
				context.getBean(Stock.class).take(120);
				context.getBean(Reports.class).daily();
				recording.stop();
				recording.dump(file);
			}
			List<RecordedEvent> calls = RecordingFile.readAllEvents(file)
				.stream()
				.filter((event) -> event.getEventType().getName().equals("io.knocker.MeasuredCall"))
				.toList();
			RecordedEvent take = calls.stream()
				.filter((event) -> "Stock.take".equals(event.getString("method")))
				.findFirst()
				.orElseThrow();
			assertThat(take.getString("door")).isEqualTo("inventory-lock");
			// The figure the method booked for this, its only call.
			assertThat(take.getDouble("contention"))
				.isEqualTo(context.getBean(MeasuredMethods.class).asMap().get("Stock.take").getLastContention());
			// Alone on its lock: it never waited.
			assertThat(take.getDouble("waited")).isBetween(0.0, 0.02);
			assertThat(take.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
			assertThat(take.getEventType().getLabel()).isEqualTo("Measured Call");
			// Only measured methods make events (a call too short for any knock makes
			// none, unless a loaded machine stretches it: not asserted).
			assertThat(calls).allMatch((event) -> event.getString("method").startsWith("Stock.")
					|| event.getString("method").startsWith("Reports."));
			// Without a recording, no event is begun.
			assertThat(MeasuredCallEvent.started()).isNull();
		});
	}

	@Test
	void aMethodAloneOnTheLockItTakesWaitedNothingThoughItsContentionCountsItsHolding() {
		this.contextRunner.run((context) -> {
			Stock stock = context.getBean(Stock.class);
			for (int i = 0; i < 60; i++) {
				stock.take(10);
			}
			MethodContention take = context.getBean(MeasuredMethods.class).asMap().get("Stock.take");
			// The calls ride the door's cycle, a 10 ms window every 110 ms: a 10 ms call
			// spans one about a fifth of the time (12 of 60 expected; one that cancelled
			// the sleeps would have them all).
			System.out.printf("alone on its lock: %d calls, %d sampled%n", take.getCalls(), take.getSampledCalls());
			assertThat(take.getCalls()).isEqualTo(60);
			assertThat(take.getSampledCalls()).isBetween(3L, 40L);
			// A call can see a knock under way from before it opened, and no look.
			assertThat(take.getWaitedCalls()).isPositive().isLessThanOrEqualTo(take.getSampledCalls());
			assertThat(take.getMeanWaited()).isLessThan(0.02);
			assertThat(take.getMeanContention()).isGreaterThan(0.2);
		});
	}

	@Test
	void aMethodQueuedOnTheLockItTakesReadsItsOwnWait() {
		this.contextRunner.run((context) -> {
			Stock stock = context.getBean(Stock.class);
			ReentrantLock lock = context.getBean("inventoryLock", ReentrantLock.class);
			ExecutorService caller = Executors.newSingleThreadExecutor();
			try {
				Future<Long> timed;
				AtomicReference<Thread> calling = new AtomicReference<>();
				long queuedNanos = 0;
				lock.lock();
				try {
					// The call may queue before the door's own waiter: the door skips
					// the looks it cannot tell until then (it read 0.848 against 0.992
					// beside two spinning loops when it counted them "not waiting").
					timed = caller.submit(() -> {
						calling.set(Thread.currentThread());
						long start = System.nanoTime();
						stock.take(2);
						return System.nanoTime() - start;
					});
					// The truth, sampled by the test itself: how long the calling thread
					// sat in the lock's queue (on a busy machine a new thread may take
					// milliseconds to get there: the call is open, but not yet queued).
					long last = System.nanoTime();
					long end = last + 600_000_000L;
					while (last - end < 0) {
						LockSupport.parkNanos(200_000);
						long now = System.nanoTime();
						Thread thread = calling.get();
						if (thread != null && lock.hasQueuedThread(thread)) {
							queuedNanos += now - last;
						}
						last = now;
					}
				}
				finally {
					lock.unlock();
				}
				double truth = (double) queuedNanos / timed.get();
				MethodContention take = context.getBean(MeasuredMethods.class).asMap().get("Stock.take");
				// About 600 ms queued of 602. The figure is the windows' within the call:
				// a
				// window on the call's own work (10 ms once) made 2 of its 15 looks "not
				// waiting"; 2 ms of work spoil a few looks of some fifty.
				System.out.printf("queued on the lock: waited %.3f, sampled by the test %.3f%n", take.getLastWaited(),
						truth);
				assertThat(truth).isGreaterThan(0.5);
				assertThat(take.getLastWaited()).isCloseTo(truth, org.assertj.core.data.Offset.offset(0.1));
			}
			finally {
				caller.shutdownNow();
			}
		});
	}

	@Test
	void aCallMeasuredToCompletionAsynchronouslyHasNoWaitedFigure() {
		this.contextRunner.run((context) -> {
			context.getBean(Reports.class).weekly().get();
			MethodContention weekly = context.getBean(MeasuredMethods.class).asMap().get("Reports.weekly");
			assertThat(weekly.getSampledCalls()).isOne();
			assertThat(weekly.getMeanWaited()).isNull();
			assertThat(weekly.getLastWaited()).isNull();
			// A call on its own thread on the same door has one: the jvm door's
			// contention.
			context.getBean(Reports.class).daily();
			// Longer than the door's whole cycle (110 ms), so that it spans a window: a
			// 50 ms call fell between two once and had no figure at all.
			context.getBean(Stock.class).count(250);
			assertThat(context.getBean(MeasuredMethods.class).asMap().get("Stock.count").getMeanWaited()).isNotNull();
		});
	}

	@Test
	void concurrentCallsKeepTheirOwnWindowsAndResetNothing() {
		this.contextRunner.run((context) -> {
			Inventory inventory = context.getBean(Inventory.class);
			ReentrantLock lock = context.getBean("inventoryLock", ReentrantLock.class);
			KnockKnock door = context.getBean(Knockers.class).get("inventory-lock");
			MeasuredMethods methods = context.getBean(MeasuredMethods.class);
			ExecutorService callers = Executors.newFixedThreadPool(8);
			try {
				// Four calls while the lock is hammered, then four while it is idle, on
				// eight threads.
				List<Future<?>> busy = new ArrayList<>();
				KnockSnapshot before;
				KnockSnapshot after;
				try (LockHammer hammer = new LockHammer(lock)) {
					before = door.snapshot();
					for (int i = 0; i < 4; i++) {
						busy.add(callers.submit(() -> inventory.hold(300)));
					}
					for (Future<?> call : busy) {
						call.get();
					}
					after = door.snapshot();
				}
				// The control: the door's own reading over the same stretch of time.
				double doorOverTheCalls = after.contentionSince(before);
				double busyMax = methods.asMap().get("checkout").getMaxContention();
				double busyMean = methods.asMap().get("checkout").getMeanContention();
				List<Future<?>> idle = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					idle.add(callers.submit(() -> inventory.holdIdle(300)));
				}
				for (Future<?> call : idle) {
					call.get();
				}
				MethodContention busyCalls = methods.asMap().get("checkout");
				MethodContention idleCalls = methods.asMap().get("Inventory.holdIdle");
				assertThat(busyCalls.getCalls()).isEqualTo(4);
				assertThat(busyCalls.getSampledCalls()).isEqualTo(4);
				// Each busy call rode the door's cycle over its own 300 ms, which the
				// four
				// share: their mean is the door's reading over them (the snapshots add a
				// few ms either side, one knock's worth of difference).
				System.out.printf("busy calls: mean %.3f, door over them %.3f%n", busyMean, doorOverTheCalls);
				assertThat(doorOverTheCalls).isGreaterThan(0.1);
				assertThat(busyMean).isCloseTo(doorOverTheCalls, within(0.1));
				assertThat(idleCalls.getCalls()).isEqualTo(4);
				assertThat(idleCalls.getMaxContention()).isLessThan(0.05);
				// The idle calls changed nothing of the busy calls' figures.
				assertThat(busyCalls.getMaxContention()).isEqualTo(busyMax);
				// Nor did any call reset the door's own metric: it still holds the
				// hammered period.
				assertThat(door.getContentionMetric())
					.isEqualTo(door.snapshot().contentionSince(KnockSnapshot.ZERO),
							org.assertj.core.data.Offset.offset(0.02))
					.isGreaterThan(0.1);
			}
			finally {
				callers.shutdownNow();
			}
		});
	}

	@Test
	void theContentionEndpointsResetStartsTheMethodsFiguresOver() {
		this.contextRunner.run((context) -> {
			Inventory inventory = context.getBean(Inventory.class);
			inventory.hold(120);
			assertThatIllegalStateException().isThrownBy(() -> inventory.reserve(-1));
			MeasuredMethods methods = context.getBean(MeasuredMethods.class);
			assertThat(methods.asMap().get("checkout").getSampledCalls()).isEqualTo(1);
			new io.knocker.autoconfigure.endpoint.ContentionEndpoint(context.getBean(Knockers.class), methods, null)
				.act("reset");
			MethodContention checkout = methods.asMap().get("checkout");
			assertThat(checkout.getCalls()).isZero();
			assertThat(checkout.getSampledCalls()).isZero();
			assertThat(checkout.getMaxContention()).isZero();
			assertThat(checkout.getMeanWaited()).isNull();
			assertThat(methods.asMap().get("Inventory.reserve").getFailedCalls()).isZero();
			inventory.reserve(1);
			assertThat(methods.asMap().get("Inventory.reserve").getCalls()).isEqualTo(1);
		});
	}

	@Test
	void exceptionsPassThroughUnchangedAndAreCounted() {
		this.contextRunner.run((context) -> {
			Inventory inventory = context.getBean(Inventory.class);
			assertThatIllegalStateException().isThrownBy(() -> inventory.reserve(-1)).withMessage("negative: -1");
			MethodContention reserve = context.getBean(MeasuredMethods.class).asMap().get("Inventory.reserve");
			assertThat(reserve.getCalls()).isEqualTo(1);
			assertThat(reserve.getFailedCalls()).isEqualTo(1);
		});
	}

	@Test
	void everyListenerBeanIsToldOfEachSampledCall() {
		List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.contextRunner
			.withBean("callLog", MeasuredMethods.Listener.class,
					() -> (method, contention, waited) -> told.add(method.getName()))
			.run((context) -> {
				// Long enough for knocks: only a sampled call is told.
				// Longer than the door's cycle: sampled.
				context.getBean(Stock.class).take(120);
				assertThat(told).containsExactly("Stock.take");
			});
	}

	@Test
	void aFailureWhileMeasuringNeverBreaksTheCall() {
		this.contextRunner
			.withBean("brokenListener", MeasuredMethods.Listener.class, () -> (method, contention, waited) -> {
				throw new IllegalStateException("meter registry gone");
			})
			.run((context) -> {
				MeasuredMethods methods = context.getBean(MeasuredMethods.class);
				Stock stock = context.getBean(Stock.class);
				stock.take(20);
				stock.take(20);
				assertThat(methods.asMap().get("Stock.take").getCalls()).isEqualTo(2);
			});
	}

	@Test
	void completionStagesAreMeasuredWhenTheyComplete() {
		this.contextRunner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			CompletableFuture<String> report = reports.weekly();
			MethodContention weekly = context.getBean(MeasuredMethods.class).asMap().get("Reports.weekly");
			assertThat(weekly.getCalls()).isZero();
			assertThat(report.get(5, TimeUnit.SECONDS)).isEqualTo("week");
			assertThat(weekly.getCalls()).isEqualTo(1);
		});
	}

	@Test
	void anAnnotationNamingNoDoorFailsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(Typo.class).run((context) -> {
			FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.contains("@KnockMeasured(door) on " + TypoService.class.getName() + ".work")
				.contains("Value: inventory-lok")
				.contains("no door is named 'inventory-lok'");
			assertThat(analysis.getAction()).contains("knocker.doors.inventory-lok");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Services {

		@Bean
		ReentrantLock inventoryLock() {
			return new ReentrantLock();
		}

		@Bean
		Inventory inventory() {
			return new Inventory();
		}

		@Bean
		Reports reports() {
			return new Reports();
		}

		@Bean
		Stock stock(ReentrantLock inventoryLock) {
			return new Stock(inventoryLock);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Typo {

		@Bean
		TypoService typoService() {
			return new TypoService();
		}

	}

	static class Inventory {

		@KnockMeasured
		public int reserve(int quantity) {
			if (quantity < 0) {
				throw new IllegalStateException("negative: " + quantity);
			}
			return quantity;
		}

		@KnockMeasured(value = "checkout", door = "inventory-lock")
		public void hold(long millis) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
		}

		@KnockMeasured(door = "inventory-lock")
		public void holdIdle(long millis) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
		}

		public int count() {
			return 0;
		}

	}

	@KnockMeasured
	static class Reports {

		public String daily() {
			return "day";
		}

		public CompletableFuture<String> weekly() {
			return CompletableFuture.supplyAsync(() -> {
				// Longer than the door's whole cycle (110 ms): at 100 ms, beside two
				// spinning loops, a stretched sleep held it once and it was not sampled.
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
				return "week";
			});
		}

	}

	static class Stock {

		private final ReentrantLock lock;

		Stock(ReentrantLock lock) {
			this.lock = lock;
		}

		@KnockMeasured(door = "inventory-lock")
		public void take(long millis) {
			this.lock.lock();
			try {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
			}
			finally {
				this.lock.unlock();
			}
		}

		@KnockMeasured
		public void count(long millis) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
		}

	}

	static class TypoService {

		@KnockMeasured(door = "inventory-lok")
		public void work() {
		}

	}

}
