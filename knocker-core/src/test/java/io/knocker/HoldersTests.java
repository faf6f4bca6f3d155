package io.knocker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Who holds a busy door: the holder's site, sampled at a bounded rate, cleared by reset.
 */
class HoldersTests {

	@Test
	void aLockHeldByAKnownThreadInAKnownMethodTopsTheHolders() throws Exception {
		ReentrantLock lock = new ReentrantLock();
		KnockKnock knocker = KnockKnock.builder()
			.name("held-lock")
			.door(Doors.lock(lock))
			.holderSamplesPerSecond(50)
			.build();
		try (knocker; Workload holder = Workload.holding(() -> {
			lock.lock();
			try {
				reserveStock();
			}
			finally {
				lock.unlock();
			}
		}, "stock-keeper")) {
			knocker.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> samples(knocker) >= 20);
			HolderSite top = knocker.getHolders().get(0);
			System.out.printf("lock holders: %s%n", knocker.getHolders());
			assertThat(top.frames()).anyMatch((frame) -> frame.contains("HoldersTests.reserveStock("));
			assertThat(top.share()).isGreaterThan(0.8);
			assertThat(top.threads()).containsExactly("stock-keeper");
			assertThat(top.frames()).hasSizeLessThanOrEqualTo(Holders.DEPTH);
		}
	}

	@Test
	void aMonitorHeldByAKnownThreadInAKnownMethodTopsTheHolders() throws Exception {
		Object ledger = new Object();
		KnockKnock knocker = KnockKnock.builder()
			.name("held-monitor")
			.door(Doors.monitor(ledger))
			.holderSamplesPerSecond(50)
			.build();
		try (knocker; Workload holder = Workload.holding(() -> {
			synchronized (ledger) {
				postEntries();
			}
		}, "bookkeeper")) {
			knocker.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> samples(knocker) >= 20);
			HolderSite top = knocker.getHolders().get(0);
			System.out.printf("monitor holders: %s%n", knocker.getHolders());
			assertThat(top.frames()).anyMatch((frame) -> frame.contains("HoldersTests.postEntries("));
			assertThat(top.share()).isGreaterThan(0.8);
			assertThat(top.threads()).containsExactly("bookkeeper");
		}
	}

	@Test
	void aMonitorSixClientsHoldInAKnownMethodIsNamedNotGuessed() throws Exception {
		Object ledger = new Object();
		KnockKnock knocker = KnockKnock.builder()
			.name("six-clients")
			.door(Doors.monitor(ledger))
			.holderSamplesPerSecond(50)
			.build();
		try (knocker; Workload clients = Workload.repeat(6, () -> {
			synchronized (ledger) {
				postEntries();
			}
		})) {
			knocker.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> samples(knocker) >= 24);
			System.out.printf("six clients' holders: %s%n", knocker.getHolders());
			double inPostEntries = knocker.getHolders()
				.stream()
				.filter((site) -> site.frames().stream().anyMatch((frame) -> frame.contains("postEntries(")))
				.mapToDouble(HolderSite::share)
				.sum();
			assertThat(inPostEntries).isGreaterThan(0.8);
		}
	}

	@Test
	void aFreeMonitorUnderCpuLoadHasNoHolders() throws Exception {
		// The door's waiter is slow to wake on a loaded machine, so knocks find it busy
		// while nobody holds the monitor: a sample then would name nobody's site.
		Object ledger = new Object();
		// Knocking all the time, five times a millisecond, and any busy knock may sample.
		KnockKnock knocker = KnockKnock.builder()
			.name("free-monitor")
			.door(Doors.monitor(ledger))
			.pollingInterval(Duration.ofNanos(200_000))
			.holderSamplesPerSecond(1000)
			.sleepingInterval(Duration.ZERO)
			.build();
		int spinners = 4 * Runtime.getRuntime().availableProcessors();
		try (knocker; Workload load = Workload.repeat(spinners, () -> Workload.compute(1_000_000))) {
			knocker.start();
			Workload.sleepMillis(3000);
			System.out.printf("free monitor under load: %d busy knocks of %d, holders %s%n",
					Math.round(knocker.getBusyRatio() * knocker.snapshot().knocks()), knocker.snapshot().knocks(),
					knocker.getHolders());
			assertThat(knocker.getHolders()).isEmpty();
		}
	}

	@Test
	void theRateLimitHoldsOnADoorBusyAllTheTimeAndResetClears() throws Exception {
		ReentrantLock lock = new ReentrantLock();
		// At the default of two a second.
		KnockKnock knocker = KnockKnock.builder().name("always-busy").door(Doors.lock(lock)).build();
		try (Held holder = Held.lock(lock, "forever"); knocker) {
			knocker.start();
			long started = System.nanoTime();
			// A stretch of two seconds: about a thousand busy knocks, at most five
			// samples.
			Workload.sleepMillis(2000);
			long samples = samples(knocker);
			double seconds = (System.nanoTime() - started) / 1e9;
			assertThat(samples).isBetween(1L, (long) (2 * seconds) + 1);
			assertThat(knocker.getHolders().get(0).threads()).containsExactly("forever");
			knocker.resetContentionMetric();
			assertThat(knocker.getHolders()).isEmpty();
		}
	}

	@Test
	void otherDoorsAndAFreeLockHaveNoHolders() {
		KnockKnock free = KnockKnock.builder().name("free").door(Doors.lock(new ReentrantLock())).build();
		KnockKnock jvm = KnockKnock.builder().name("jvm-holders").build();
		try (free; jvm) {
			free.start();
			jvm.start();
			await().until(() -> free.snapshot().knocks() > 20 && jvm.snapshot().knocks() > 20);
			assertThat(free.getHolders()).isEmpty();
			assertThat(jvm.getHolders()).isEmpty();
		}
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void aVirtualThreadHolderIsUnknownOrItselfNeverSomeoneElse() throws Exception {
		ReentrantLock lock = new ReentrantLock();
		KnockKnock knocker = KnockKnock.builder()
			.name("virtual-holder")
			.door(Doors.lock(lock))
			.holderSamplesPerSecond(50)
			.build();
		Thread virtual = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class)
			.invoke(null, (Runnable) () -> {
				long end = System.nanoTime() + 3_000_000_000L;
				while (System.nanoTime() < end) {
					lock.lock();
					try {
						reserveStock();
					}
					finally {
						lock.unlock();
					}
					LockSupport.parkNanos(1_000_000);
				}
			});
		// A platform thread takes the same lock elsewhere: a sample that named the wrong
		// thread would show a stack in neither method (waiting for the lock, or parked
		// between turns).
		Thread platform = new Thread(() -> {
			long end = System.nanoTime() + 3_000_000_000L;
			while (System.nanoTime() < end) {
				lock.lock();
				try {
					auditStock();
				}
				finally {
					lock.unlock();
				}
				LockSupport.parkNanos(1_000_000);
			}
		}, "auditor");
		platform.start();
		try (knocker) {
			knocker.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> samples(knocker) >= 10);
			System.out.printf("virtual-thread holders: %s%n", knocker.getHolders());
			for (HolderSite site : knocker.getHolders()) {
				assertThat(site.frames().equals(HolderSite.UNKNOWN)
						|| site.frames().stream().anyMatch((frame) -> frame.contains("reserveStock"))
						|| site.threads().contains("auditor")
								&& site.frames().stream().anyMatch((frame) -> frame.contains("auditStock")))
					.as(site.toString())
					.isTrue();
			}
			// The platform holder is named where it holds: the samples are not all
			// unknown.
			assertThat(knocker.getHolders()).anyMatch((site) -> site.threads().contains("auditor"));
		}
		finally {
			virtual.join();
			platform.join();
		}
	}

	private static long samples(KnockKnock knocker) {
		List<HolderSite> holders = knocker.getHolders();
		return holders.stream().mapToLong(HolderSite::samples).sum();
	}

	static void reserveStock() {
		LockSupport.parkNanos(20_000_000);
	}

	static void auditStock() {
		LockSupport.parkNanos(20_000_000);
	}

	static void postEntries() {
		LockSupport.parkNanos(20_000_000);
	}

}
