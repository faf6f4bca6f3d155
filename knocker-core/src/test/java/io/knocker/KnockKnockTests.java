package io.knocker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gilknocker's tests, ported: a busy door reads high, a free one low, mixed in between; the
 * metric cools down when the work stops, resets to zero, and survives stop.
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
		try (KnockKnock knocker = lockKnocker();
				Workload work = Workload.onLock(this.lock, 2, 200_000, 800_000)) {
			knocker.start();
			Workload.sleepMillis(1500);
			double metric = knocker.getContentionMetric();
			System.out.printf("mixed: contention %.3f busyRatio %.3f%n", metric, knocker.getBusyRatio());
			// Two threads holding the lock 20% of their time each: taken about 40% of the time.
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
			// Lets the last busy knock get through: its wake-up would otherwise count after the reset.
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
		Workload.sleepMillis(50);
		knocker.stop();
		long knocks = knocker.snapshot().knocks();
		knocker.start();
		Workload.sleepMillis(50);
		knocker.stop();
		assertThat(knocker.snapshot().knocks()).isGreaterThan(knocks);
	}

	@Test
	void knocksOnANamedDaemonThreadThatEndsWithStop() {
		KnockKnock knocker = KnockKnock.builder().name("orders").build();
		knocker.start();
		Thread thread = Threads.named("knocker-orders");
		assertThat(thread).isNotNull();
		assertThat(thread.isDaemon()).isTrue();
		knocker.stop();
		assertThat(thread.isAlive()).isFalse();
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
