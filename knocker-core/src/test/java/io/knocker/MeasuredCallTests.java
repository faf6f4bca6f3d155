package io.knocker;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Windows: private views of contention that never reset the knocker or each other. */
class MeasuredCallTests {

	private final ReentrantLock lock = new ReentrantLock();

	@Test
	void windowsOnTwoThreadsSeeTheirOwnPeriodsAndLeaveTheMetricAlone() throws Exception {
		try (KnockKnock knocker = KnockKnock.builder().door(Doors.lock(this.lock)).build()) {
			knocker.start();
			CountDownLatch busyWindowOpen = new CountDownLatch(1);
			CountDownLatch hammerDone = new CountDownLatch(1);
			CompletableFuture<Double> busy = CompletableFuture.supplyAsync(() -> {
				try (MeasuredCall window = knocker.open()) {
					busyWindowOpen.countDown();
					Workload.awaitQuietly(hammerDone);
					window.close();
					return window.contention();
				}
			});
			busyWindowOpen.await();
			try (Workload hammer = Workload.onLock(this.lock, 4, 500_000, 0)) {
				Workload.sleepMillis(600);
			}
			hammerDone.countDown();
			double metricBefore = knocker.getContentionMetric();
			CompletableFuture<Double> idle = CompletableFuture.supplyAsync(() -> {
				try (MeasuredCall window = knocker.open()) {
					Workload.sleepMillis(600);
					window.close();
					return window.contention();
				}
			});
			System.out.printf("windows: busy %.3f idle %.3f%n", busy.get(), idle.get());
			assertThat(busy.get()).isGreaterThan(0.6);
			assertThat(idle.get()).isLessThan(0.05);
			// Nothing reset the knocker: its metric is still the whole run's, only cooled
			// by idle time.
			double metricAfter = knocker.getContentionMetric();
			assertThat(metricAfter).isGreaterThan(0.2).isLessThanOrEqualTo(metricBefore);
			assertThat(knocker.getContentionMetric()).isEqualTo(knocker.snapshot().contentionSince(KnockSnapshot.ZERO),
					org.assertj.core.data.Offset.offset(0.01));
			assertThat(knocker.getOpenCalls()).isZero();
		}
	}

	@Test
	void anOpenWindowMakesTheKnockerSampleWithoutSleepingGaps() {
		KnockKnock knocker = KnockKnock.builder()
			.door(Doors.lock(this.lock))
			.sleepingInterval(Duration.ofSeconds(2))
			.build();
		try (knocker) {
			knocker.start();
			Workload.sleepMillis(50);
			MeasuredCall window = knocker.open();
			Workload.sleepMillis(500);
			window.close();
			long sampled = window.end().sampledNanos() - window.opened().sampledNanos();
			// Without the window the knocker would have slept through it all but one 10
			// ms window.
			assertThat(sampled).isGreaterThan(400_000_000L);
			assertThat(window.isSampled()).isTrue();
			assertThat(window.contention()).isZero();
		}
	}

	@Test
	void aWindowNoKnockFellInIsNotSampled() {
		this.lock.lock();
		// A knock an hour apart on average: a 50 ms call almost surely sees none.
		KnockKnock rare = KnockKnock.builder().door(Doors.lock(this.lock)).pollingInterval(Duration.ofHours(1)).build();
		try (rare) {
			rare.start();
			MeasuredCall window = rare.open();
			Workload.sleepMillis(50);
			window.close();
			// Sampled time passed, but with no knock the lock's being held went unseen:
			// not a 0.0 to average in.
			assertThat(window.end().sampledNanos()).isGreaterThan(window.opened().sampledNanos());
			assertThat(window.isSampled()).isFalse();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Test
	void aWindowOnAStoppedKnockerIsNotSampled() {
		KnockKnock knocker = KnockKnock.builder().build();
		try (MeasuredCall window = knocker.open()) {
			Workload.sleepMillis(20);
			window.close();
			assertThat(window.isSampled()).isFalse();
			assertThat(window.contention()).isZero();
		}
		assertThat(knocker.getOpenCalls()).isZero();
	}

}
