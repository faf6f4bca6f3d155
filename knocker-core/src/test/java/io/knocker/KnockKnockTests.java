package io.knocker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * gilknocker's tests, ported: a busy door reads high, a free one low, mixed in between;
 * the metric cools down when the work stops, resets to zero, and survives stop.
 */
class KnockKnockTests {

	private final ReentrantLock lock = new ReentrantLock();

	@Test
	void fourThreadsHammeringTheLockReadHigh() throws Exception {
		try (KnockKnock knocker = lockKnocker(); Workload work = Workload.onLock(this.lock, 4, 500_000, 0)) {
			knocker.start();
			Workload.sleepMillis(1500);
			double metric = knocker.getContentionMetric();
			System.out.printf("busy: contention %.3f busyRatio %.3f%n", metric, knocker.getBusyRatio());
			// gilknocker asserts > 0.6 for four threads saturating the GIL.
			assertThat(metric).isGreaterThan(0.6);
			assertThat(knocker.getBusyRatio()).isGreaterThan(0.9);
		}
	}

	@Test
	void lockFreeWorkReadsLow() throws Exception {
		try (KnockKnock knocker = lockKnocker(); Workload work = Workload.onLock(new ReentrantLock(), 4, 0, 500_000)) {
			knocker.start();
			Workload.sleepMillis(1000);
			double metric = knocker.getContentionMetric();
			System.out.printf("free: contention %.4f%n", metric);
			assertThat(knocker.snapshot().knocks()).isGreaterThan(20);
			assertThat(metric).isLessThan(0.02);
		}
	}

	@Test
	void mixedWorkReadsInBetween() throws Exception {
		try (KnockKnock knocker = lockKnocker(); Workload work = Workload.onLock(this.lock, 2, 200_000, 800_000)) {
			knocker.start();
			Workload.sleepMillis(1500);
			double metric = knocker.getContentionMetric();
			System.out.printf("mixed: contention %.3f busyRatio %.3f%n", metric, knocker.getBusyRatio());
			// Two threads holding the lock 20% of their time each: taken about 40% of the
			// time.
			assertThat(metric).isBetween(0.02, 0.6);
			assertThat(knocker.getBusyRatio()).isBetween(0.15, 0.7);
		}
	}

	@Test
	void metricCoolsDownWindowAfterWindowWhenTheWorkStops() throws Exception {
		try (KnockKnock knocker = lockKnocker()) {
			knocker.start();
			try (Workload work = Workload.onLock(this.lock, 4, 500_000, 0)) {
				Workload.sleepMillis(500);
			}
			double previous = knocker.getContentionMetric();
			assertThat(previous).isGreaterThan(0.3);
			for (int i = 0; i < 4; i++) {
				// Each wait spans at least one sleeping gap and one idle sampling window.
				Workload.sleepMillis(250);
				double metric = knocker.getContentionMetric();
				assertThat(metric).isLessThan(previous);
				previous = metric;
			}
		}
	}

	@Test
	void resetBringsTheMetricToZeroWhileTheCountersGoOn() throws Exception {
		try (KnockKnock knocker = lockKnocker()) {
			knocker.start();
			try (Workload work = Workload.onLock(this.lock, 4, 500_000, 0)) {
				Workload.sleepMillis(500);
			}
			// Lets the last busy knock get through: its wake-up would otherwise count
			// after the reset.
			Workload.sleepMillis(50);
			KnockSnapshot before = knocker.snapshot();
			knocker.resetContentionMetric();
			assertThat(knocker.getContentionMetric()).isLessThan(0.001);
			Workload.sleepMillis(300);
			assertThat(knocker.getContentionMetric()).isLessThan(0.001);
			KnockSnapshot after = knocker.snapshot();
			assertThat(after.contendedNanos()).isGreaterThanOrEqualTo(before.contendedNanos());
			assertThat(after.sampledNanos()).isGreaterThan(before.sampledNanos());
			assertThat(after.knocks()).isGreaterThan(before.knocks());
		}
	}

	@Test
	void rightAfterAResetTheMetricReadsZeroNotOneKnocksNoise() {
		// A long polling interval, so that the reading below comes well within one of the
		// reset.
		KnockKnock knocker = KnockKnock.builder()
			.name("held")
			.door(Doors.lock(this.lock))
			.pollingInterval(Duration.ofMillis(50))
			.build();
		this.lock.lock();
		try (knocker) {
			knocker.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> knocker.getContentionMetric() > 0.9);
			knocker.resetContentionMetric();
			// A knock is waiting on the held lock: over the microseconds since the reset
			// it reads 1.0.
			assertThat(knocker.getContentionMetric()).isZero();
			await().atMost(Duration.ofSeconds(5)).until(() -> knocker.getContentionMetric() > 0.9);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Test
	void stopIsIdempotentAndKeepsTheMetric() throws Exception {
		KnockKnock knocker = lockKnocker();
		knocker.start();
		knocker.start();
		assertThat(knocker.isRunning()).isTrue();
		try (Workload work = Workload.onLock(this.lock, 4, 500_000, 0)) {
			Workload.sleepMillis(500);
			knocker.stop();
		}
		double metric = knocker.getContentionMetric();
		KnockSnapshot snapshot = knocker.snapshot();
		knocker.stop();
		// A stretch in which a knocker still running would have knocked about ten times.
		Workload.sleepMillis(100);
		assertThat(knocker.isRunning()).isFalse();
		assertThat(metric).isGreaterThan(0.3);
		assertThat(knocker.getContentionMetric()).isEqualTo(metric);
		assertThat(knocker.snapshot()).isEqualTo(snapshot);
	}

	@Test
	void restartsAfterStop() {
		KnockKnock knocker = KnockKnock.builder().build();
		knocker.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> knocker.snapshot().knocks() > 0);
		knocker.stop();
		long knocks = knocker.snapshot().knocks();
		knocker.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> knocker.snapshot().knocks() > knocks);
		knocker.stop();
	}

	@Test
	void allKnockersShareOneDaemonThreadThatEndsWithTheLastStop() {
		KnockKnock orders = KnockKnock.builder().name("orders").build();
		KnockKnock payments = KnockKnock.builder().name("payments").door(Doors.lock(this.lock)).build();
		long before = knockerThreads();
		orders.start();
		payments.start();
		Thread thread = Threads.named("knocker");
		assertThat(thread).isNotNull();
		assertThat(thread.isDaemon()).isTrue();
		// A door that never has to wait needs no thread of its own.
		assertThat(knockerThreads() - before).isLessThanOrEqualTo(1);
		orders.stop();
		assertThat(thread.isAlive()).isTrue();
		payments.stop();
		await().atMost(Duration.ofSeconds(5)).until(() -> !thread.isAlive());
	}

	@Test
	void aDoorThatWaitsDoesSoOnANamedDaemonThreadThatEndsWithStop() {
		KnockKnock knocker = lockKnocker();
		this.lock.lock();
		try {
			knocker.start();
			await().atMost(Duration.ofSeconds(5)).until(() -> Threads.named("knocker-lock") != null);
			assertThat(Threads.named("knocker-lock").isDaemon()).isTrue();
		}
		finally {
			this.lock.unlock();
		}
		Thread waiter = Threads.named("knocker-lock");
		knocker.stop();
		assertThat(waiter.isAlive()).isFalse();
	}

	@Test
	void fiftyStartsAndStopsLeaveNoThreadBehind() {
		KnockKnock jvm = KnockKnock.builder().name("cycled").build();
		KnockKnock lock = lockKnocker();
		for (int i = 0; i < 50; i++) {
			jvm.start();
			lock.start();
			if (i % 2 == 0) {
				this.lock.lock();
				Workload.sleepMillis(2);
				this.lock.unlock();
			}
			lock.stop();
			jvm.stop();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> Threads.named("knocker-lock") == null);
		assertThat(jvm.snapshot().knocks()).isPositive();
	}

	@Test
	void aZeroSleepingIntervalKnocksAllTheTime() {
		KnockKnock continuous = KnockKnock.builder()
			.name("continuous")
			.door(Doors.lock(this.lock))
			.sleepingInterval(Duration.ZERO)
			.build();
		KnockKnock cycling = lockKnocker();
		try (continuous; cycling) {
			continuous.start();
			cycling.start();
			long started = System.nanoTime();
			// A stretch of several sleeping intervals, so that the duty cycle shows.
			Workload.sleepMillis(1000);
			long wall = System.nanoTime() - started;
			KnockSnapshot always = continuous.snapshot();
			System.out.printf("sleeping 0: %d knocks, %d ms sampled; default: %d knocks%n", always.knocks(),
					always.sampled().toMillis(), cycling.snapshot().knocks());
			assertThat(always.sampledNanos()).isGreaterThan(wall * 8 / 10);
			// About 1,000 knocks against about 91 with the default sleeps.
			assertThat(always.knocks()).isGreaterThan(4 * cycling.snapshot().knocks());
			assertThat(cycling.snapshot().sampledNanos()).isLessThan(wall / 3);
		}
	}

	@Test
	void aStuckDoorDoesNotDelayTheOthersKnocks() throws Exception {
		Object monitor = new Object();
		KnockKnock stuck = KnockKnock.builder().name("stuck-monitor").door(Doors.monitor(monitor)).build();
		KnockKnock free = KnockKnock.builder().name("free-lock").door(Doors.lock(new ReentrantLock())).build();
		// Knocking all the time, as the park loop beside it does: at the defaults the jvm
		// door samples a tenth of the time and one held-up wake-up weighs ten times more
		// than in the control (0.29 against a band of 0.26 beside two spinning loops).
		KnockKnock jvm = KnockKnock.builder().name("beside-stuck").sleepingInterval(Duration.ZERO).build();
		try (Held holder = Held.monitor(monitor, "holder"); stuck; free; jvm; ParkControl control = new ParkControl()) {
			stuck.start();
			free.start();
			jvm.start();
			Workload.sleepMillis(1100);
			double starvation = control.readingAsTheJvmDoor();
			System.out.printf("beside a stuck door: stuck %.3f, free lock %d knocks %.4f, jvm %.4f, park loop %.4f%n",
					stuck.getContentionMetric(), free.snapshot().knocks(), free.getContentionMetric(),
					jvm.getContentionMetric(), starvation);
			assertThat(stuck.getContentionMetric()).isGreaterThan(0.9);
			// About 100 knocks in 1.1 s at the defaults; a loop blocked on the monitor
			// would make one.
			assertThat(free.snapshot().knocks()).isGreaterThan(50);
			assertThat(free.getContentionMetric()).isLessThan(0.01);
			// A loop held up by the stuck door reads near 1. Starvation is what the jvm
			// door measures, so the band grows with a bare park loop's reading beside it.
			assertThat(jvm.getContentionMetric()).isLessThan(Math.min(0.9, 0.2 + 1.5 * starvation));
		}
	}

	private static long knockerThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith("knocker")).count();
	}

	@Test
	void runningKnockersDoNotKeepTheJvmAlive() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				ExitProbe.class.getName())
			.redirectErrorStream(true)
			.start();
		boolean exited = process.waitFor(20, TimeUnit.SECONDS);
		if (!exited) {
			process.destroyForcibly();
		}
		assertThat(exited).as("the JVM exited with knockers running").isTrue();
		assertThat(new String(process.getInputStream().readAllBytes())).contains("knocking");
		assertThat(process.exitValue()).isZero();
	}

	@Test
	void defaultsFollowGilknocker() {
		KnockKnock knocker = KnockKnock.builder().build();
		assertThat(knocker.getName()).isEqualTo("jvm");
		assertThat(knocker.getDoor().kind()).isEqualTo("jvm");
		assertThat(knocker.getPollingInterval()).isEqualTo(Duration.ofMillis(1));
		assertThat(knocker.getSamplingInterval()).isEqualTo(Duration.ofMillis(10));
		assertThat(knocker.getSleepingInterval()).isEqualTo(Duration.ofMillis(100));
		assertThat(knocker.getTimeout()).isEqualTo(Duration.ofMillis(101));
		KnockKnock fine = KnockKnock.builder().pollingInterval(Duration.ofNanos(10_000)).build();
		assertThat(fine.getSamplingInterval()).isEqualTo(Duration.ofNanos(100_000));
		assertThat(fine.getSleepingInterval()).isEqualTo(Duration.ofMillis(1));
		assertThat(fine.getTimeout()).isEqualTo(Duration.ofMillis(2));
	}

	private KnockKnock lockKnocker() {
		return KnockKnock.builder().name("lock").door(Doors.lock(this.lock)).build();
	}

}
