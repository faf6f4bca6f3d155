package io.knocker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measured calls: private views of contention that never reset the knocker or each other,
 * riding its cycle.
 */
class MeasuredCallTests {

	private final ReentrantLock lock = new ReentrantLock();

	@Test
	void callsOnTwoThreadsSeeTheirOwnPeriodsAndLeaveTheMetricAlone() throws Exception {
		try (KnockKnock knocker = KnockKnock.builder().door(Doors.lock(this.lock)).build()) {
			knocker.start();
			CountDownLatch busyCallOpen = new CountDownLatch(1);
			CountDownLatch hammerDone = new CountDownLatch(1);
			CompletableFuture<Double> busy = CompletableFuture.supplyAsync(() -> {
				try (MeasuredCall call = knocker.open()) {
					busyCallOpen.countDown();
					Workload.awaitQuietly(hammerDone);
					call.close();
					return call.contention();
				}
			});
			busyCallOpen.await();
			try (Workload hammer = Workload.onLock(this.lock, 4, 500_000, 0)) {
				Workload.sleepMillis(600);
			}
			hammerDone.countDown();
			double metricBefore = knocker.getContentionMetric();
			CompletableFuture<Double> idle = CompletableFuture.supplyAsync(() -> {
				try (MeasuredCall call = knocker.open()) {
					Workload.sleepMillis(600);
					call.close();
					return call.contention();
				}
			});
			System.out.printf("calls: busy %.3f idle %.3f%n", busy.get(), idle.get());
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
	void anOpenCallRidesTheCycleAndNeverCancelsTheSleep() {
		KnockKnock knocker = KnockKnock.builder()
			.door(Doors.lock(this.lock))
			.sleepingInterval(Duration.ofSeconds(2))
			.build();
		try (knocker) {
			knocker.start();
			// The first 10 ms window is over: the knocker sleeps for two seconds.
			Workload.sleepMillis(50);
			long knocks = knocker.snapshot().knocks();
			MeasuredCall call = knocker.open();
			Workload.sleepMillis(500);
			call.close();
			// A call that cancelled the sleep would have had about 500 knocks.
			assertThat(knocker.snapshot().knocks()).isEqualTo(knocks);
			assertThat(call.isSampled()).isFalse();
			assertThat(call.waited()).isEmpty();
		}
	}

	@Test
	void nestedCallsOnOneThreadEachGetTheKnocksWithinThem() throws InterruptedException {
		try (KnockKnock knocker = KnockKnock.builder()
			.door(Doors.lock(this.lock))
			.pollingInterval(Duration.ofNanos(200_000))
			.sleepingInterval(Duration.ZERO)
			.build(); Held held = Held.lock(this.lock, "holder")) {
			knocker.start();
			MeasuredCall outer = knocker.open();
			Workload.sleepMillis(100);
			MeasuredCall inner = knocker.open();
			Workload.sleepMillis(100);
			inner.close();
			Workload.sleepMillis(100);
			outer.close();
			// The door was held throughout, the calls' thread never waited at it.
			assertThat(outer.contention()).isGreaterThan(0.8);
			assertThat(inner.contention()).isGreaterThan(0.8);
			assertThat(outer.waited()).hasValue(0.0);
			assertThat(inner.waited()).hasValue(0.0);
			// Both were looked at in their own time: the inner one about a third as
			// often.
			long outerLooks = outer.waitedWhole();
			long innerLooks = inner.waitedWhole();
			System.out.printf("nested: outer %d looks, inner %d%n", outerLooks, innerLooks);
			assertThat(innerLooks).isBetween(outerLooks / 6, outerLooks * 2 / 3);
			assertThat(knocker.getOpenCalls()).isZero();
		}
	}

	@Test
	void aCallOpenedAsyncTakesNoLookFromTheCallsOnThreads() {
		try (KnockKnock knocker = KnockKnock.builder()
			.door(Doors.lock(this.lock))
			.pollingInterval(Duration.ofNanos(200_000))
			.sleepingInterval(Duration.ZERO)
			.build()) {
			knocker.start();
			List<MeasuredCall> async = new ArrayList<>();
			for (int i = 0; i < 4 * OpenCalls.MAX_LOOKS_PER_KNOCK; i++) {
				async.add(knocker.openAsync());
			}
			long knocks = knocker.snapshot().knocks();
			MeasuredCall onThread = knocker.open();
			Workload.sleepMillis(200);
			onThread.close();
			long knocked = knocker.snapshot().knocks() - knocks;
			async.forEach(MeasuredCall::close);
			// Placed among the calls on threads, the async ones would take three looks in
			// four.
			System.out.printf("async: %d knocks, %d looks at the call on its thread%n", knocked,
					onThread.waitedWhole());
			assertThat(onThread.waitedWhole() / OpenCalls.MAX_LOOKS_PER_KNOCK).isGreaterThan(knocked * 8 / 10);
			assertThat(async).allSatisfy((call) -> {
				assertThat(call.isSampled()).isTrue();
				assertThat(call.waited()).isEmpty();
			});
			assertThat(knocker.getOpenCalls()).isZero();
		}
	}

	@Test
	void aCallsEstimatedWaitIsItsWaitWhicheverWindowsFellInIt() throws Exception {
		// A 2 ms window every 22 ms: some two hundred windows in the test's five seconds.
		try (KnockKnock knocker = KnockKnock.builder()
			.door(Doors.lock(this.lock))
			.pollingInterval(Duration.ofNanos(200_000))
			.build()) {
			knocker.start();
			Workload.sleepMillis(300);
			long[] estimates = new long[40];
			long truth = 0;
			for (int i = 0; i < estimates.length; i++) {
				MeasuredCall call;
				long waited;
				try (Held held = Held.lock(this.lock, "holder")) {
					CompletableFuture<long[]> caller = CompletableFuture.supplyAsync(() -> {
						MeasuredCall open = knocker.open();
						long start = System.nanoTime();
						this.lock.lock();
						long got = System.nanoTime();
						this.lock.unlock();
						open.close();
						return new long[] { got - start, open.estimatedWaitNanos() };
					});
					Workload.sleepMillis(20 + 5 * i);
					held.close();
					long[] result = caller.get();
					truth += result[0];
					estimates[i] = result[1];
				}
			}
			long estimated = java.util.Arrays.stream(estimates).sum();
			System.out.printf("estimated wait: %d ms of %d ms waited%n", estimated / 1_000_000, truth / 1_000_000);
			assertThat((double) estimated / truth).isBetween(0.7, 1.3);
		}
	}

	@Test
	void aCallNoKnockFellInIsNotSampled() {
		this.lock.lock();
		// A knock an hour apart on average: a 50 ms call almost surely sees none.
		KnockKnock rare = KnockKnock.builder().door(Doors.lock(this.lock)).pollingInterval(Duration.ofHours(1)).build();
		try (rare) {
			rare.start();
			MeasuredCall call = rare.open();
			Workload.sleepMillis(50);
			call.close();
			// Sampled time passed, but with no knock the lock's being held went unseen:
			// not a 0.0 to average in.
			assertThat(call.sampledNanos()).isPositive();
			assertThat(call.isSampled()).isFalse();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Test
	void aCallOnAStoppedKnockerIsNotSampled() {
		KnockKnock knocker = KnockKnock.builder().build();
		try (MeasuredCall call = knocker.open()) {
			Workload.sleepMillis(20);
			call.close();
			assertThat(call.isSampled()).isFalse();
			assertThat(call.contention()).isZero();
		}
		assertThat(knocker.getOpenCalls()).isZero();
	}

}
