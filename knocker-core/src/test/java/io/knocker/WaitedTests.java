package io.knocker;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A call's own wait ({@link MeasuredCall#waited()}) against the wait the call timed
 * itself with {@code System.nanoTime()}. Bands are wide (0.1, twice the accuracy target
 * the benchmarks' harness records) because these machines are noisy; each test also
 * checks that the truth it compares with is far from what a broken figure would read.
 */
class WaitedTests {

	private static final long HOLD = 2_000_000;

	private static final long ELSEWHERE = 1_000_000;

	private static final Duration POLLING = Duration.ofNanos(200_000);

	@Test
	void aCallAloneOnTheLockItHoldsWaitedNothingThoughItsContentionCountsItsHolding() {
		ReentrantLock lock = new ReentrantLock();
		try (KnockKnock knocker = knocker("alone", Doors.lock(lock))) {
			knocker.start();
			Callers callers = new Callers(knocker, lockEntry(lock), 1, HOLD, ELSEWHERE);
			Workload.sleepMillis(1500);
			double[] means = callers.means();
			System.out.printf("alone on a lock: %d calls, truth %.3f, waited %.3f, contention %.3f%n", callers.calls(),
					means[0], means[1], means[2]);
			assertThat(callers.calls()).isGreaterThan(50);
			assertThat(means[1]).isLessThan(0.02);
			// gilknocker's figure: a newcomer would have waited for this call's holding.
			assertThat(means[2]).isGreaterThan(0.2);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "lock", "monitor", "semaphore" })
	void fourCallersQueuingOnADoorReadTheWaitTheyTimedThemselves(String kind) {
		ReentrantLock lock = new ReentrantLock();
		Object monitor = new Object();
		Semaphore semaphore = new Semaphore(2);
		int threads = 4;
		Door door = switch (kind) {
			case "lock" -> Doors.lock(lock);
			case "monitor" -> Doors.monitor(monitor);
			default -> Doors.semaphore(semaphore);
		};
		Callers.Entry entry = switch (kind) {
			case "lock" -> lockEntry(lock);
			case "monitor" -> (entered, held) -> {
				synchronized (monitor) {
					entered.run();
					LockSupport.parkNanos(held);
				}
			};
			default -> (entered, held) -> {
				semaphore.acquire();
				try {
					entered.run();
					LockSupport.parkNanos(held);
				}
				finally {
					semaphore.release();
				}
			};
		};
		try (KnockKnock knocker = knocker("queue-" + kind, door)) {
			knocker.start();
			Callers callers = new Callers(knocker, entry, threads, HOLD, ELSEWHERE);
			Workload.sleepMillis(2500);
			double[] means = callers.means();
			System.out.printf("%d callers on a %s: %d calls, truth %.3f, waited %.3f, contention %.3f%n", threads, kind,
					callers.calls(), means[0], means[1], means[2]);
			assertThat(callers.calls()).isGreaterThan(100);
			// Far from 0 (a door that never tells) and from 1 (one that always does):
			// 0.62 on the lock and monitor, 0.24-0.26 on the semaphore's two permits
			// (less where the callers' parks run late).
			assertThat(means[0]).isBetween(0.15, 0.9);
			// The target (0.05), not the class's wider band: within 0.015 on a quiet
			// machine and beside two spinning loops (each door once quiet, three times
			// busy: benchmarks/results/session-7dec-4.md); issue 37 saw a monitor door's
			// figure 0.06-0.12 low in an application of its own.
			assertThat(means[1]).isCloseTo(means[0], within(0.05));
		}
	}

	@Test
	void aLookNeverCountsACallThatHasClosed() {
		// A door that says a thread waits exactly while it is outside its call: a look
		// that counts a call after it closed reads above 0.
		Set<Thread> outside = ConcurrentHashMap.newKeySet();
		Door door = new Door("test") {
			@Override
			protected void knock(Knock knock) {
				knock.gotThrough(true);
			}

			@Override
			protected WaitingCheck waitingCheck() {
				return (thread) -> outside.contains(thread);
			}
		};
		double[] largest = new double[1];
		try (KnockKnock knocker = KnockKnock.builder()
			.name("closing")
			.door(door)
			.pollingInterval(Duration.ofNanos(20_000))
			.build()) {
			knocker.start();
			Thread[] threads = new Thread[4];
			long[] looked = new long[1];
			for (int i = 0; i < threads.length; i++) {
				threads[i] = new Thread(() -> {
					long end = System.nanoTime() + 1_500_000_000L;
					while (System.nanoTime() < end) {
						outside.remove(Thread.currentThread());
						MeasuredCall call = knocker.open();
						LockSupport.parkNanos(50_000);
						call.close();
						outside.add(Thread.currentThread());
						// Knocks go on while the thread is outside: none may reach the
						// call.
						LockSupport.parkNanos(100_000);
						double waited = call.waited().orElse(0);
						synchronized (largest) {
							largest[0] = Math.max(largest[0], waited);
							looked[0] += call.waited().isPresent() ? 1 : 0;
						}
					}
				});
				threads[i].start();
			}
			for (Thread thread : threads) {
				thread.join();
			}
			assertThat(looked[0]).as("calls that were looked at").isGreaterThan(100);
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
		assertThat(largest[0]).isZero();
	}

	@Test
	void aDoorThatCannotTellGivesNoWaitedFigureNotZero() throws Exception {
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try (KnockKnock knocker = knocker("pool", Doors.executor(pool))) {
			knocker.start();
			MeasuredCall call = knocker.open();
			Workload.sleepMillis(50);
			call.close();
			assertThat(call.isSampled()).isTrue();
			assertThat(call.waited()).isEmpty();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void onTheJvmDoorACallWaitsForThePausesWithinItAsTheCollectorsRecordThem() {
		java.util.List<long[]> live = new java.util.ArrayList<>();
		for (int i = 0; i < 3_000_000; i++) {
			live.add(new long[] { i });
		}
		// Knocking all the time: a call reads the windows within it, here all of its
		// time.
		try (KnockKnock knocker = KnockKnock.builder().name("jvm-waited").sleepingInterval(Duration.ZERO).build()) {
			knocker.start();
			Workload.sleepMillis(300);
			long pausedBefore = GcPauses.THIS_JVM.nanos();
			long began = System.nanoTime();
			MeasuredCall call = knocker.open();
			// The collections start once the window under way at the open (10 ms) has
			// ended: a pause in a window begun before the call is not the call's (one
			// CI rehearsal in eleven read 0.370 against 0.515 paused, a third short).
			Workload.sleepMillis(30);
			for (int i = 0; i < 3; i++) {
				System.gc();
				Workload.sleepMillis(60);
			}
			call.close();
			// The truth: the collectors' own pause record over the call's time, timed
			// here.
			double truth = (double) (GcPauses.THIS_JVM.nanos() - pausedBefore) / (System.nanoTime() - began);
			System.out.printf("jvm door: a call across three full GCs waited %.3f; paused %.3f of its time%n",
					call.waited().orElseThrow(), truth);
			assertThat(truth).isGreaterThan(0.1);
			// Every thread waits out a pause: the call's wait is the pauses, plus
			// whatever CPU starvation held the knocker up around them (counted,
			// rightly), so the band is wider above.
			assertThat(call.waited().orElseThrow()).isBetween(0.8 * truth, truth + 0.15);
		}
		assertThat(live).hasSize(3_000_000);
	}

	@Test
	void lookingAtOpenCallsAllocatesNothingOnTheKnockLoop() throws Exception {
		ReentrantLock lock = new ReentrantLock();
		Semaphore semaphore = new Semaphore(1);
		// Holder samples (two a second) allocate their stacks by design: not what this
		// test is about.
		try (KnockKnock onLock = quiet("alloc-waited-lock", Doors.lock(lock));
				KnockKnock onSemaphore = quiet("alloc-waited-semaphore", Doors.semaphore(semaphore))) {
			onLock.start();
			onSemaphore.start();
			// Calls open on both doors: one queued on each, one not queued at all.
			Workload queued = new Workload();
			Workload idle = new Workload();
			lock.lock();
			semaphore.acquire();
			try (idle; queued) {
				try {
					callsOpen(onLock, onSemaphore, lock, semaphore, queued, idle);
				}
				finally {
					lock.unlock();
					semaphore.release();
				}
			}
		}
	}

	/**
	 * With the doors held by the test: calls open on both, and what the loop allocates
	 * meanwhile.
	 */
	private static void callsOpen(KnockKnock onLock, KnockKnock onSemaphore, ReentrantLock lock, Semaphore semaphore,
			Workload queued, Workload idle) {
		queued.spawn(() -> {
			try (MeasuredCall a = onLock.open()) {
				lock.lock();
				lock.unlock();
			}
		});
		queued.spawn(() -> {
			try (MeasuredCall b = onSemaphore.open()) {
				semaphore.acquireUninterruptibly();
				semaphore.release();
			}
		});
		idle.spawn(() -> {
			try (MeasuredCall a = onLock.open(); MeasuredCall b = onSemaphore.open()) {
				Workload.sleepMillis(2000);
			}
		});
		Workload.sleepMillis(300);
		assertThat(onLock.getOpenCalls()).isEqualTo(2);
		long knocks = onLock.snapshot().knocks() + onSemaphore.snapshot().knocks();
		long allocated = Threads.allocatedBy("knocker", () -> Workload.sleepMillis(1000));
		long knocked = onLock.snapshot().knocks() + onSemaphore.snapshot().knocks() - knocks;
		System.out.printf("knock loop looking at open calls: %d bytes over %d knocks%n", allocated, knocked);
		assertThat(knocked).isGreaterThan(200);
		assertThat(allocated).isLessThan(8 * knocked);
	}

	@Test
	void theLockDoorRelearnsWhatItsWaiterParksOnSoAWrongFirstSightingNeverSticks() throws Exception {
		ReentrantLock lock = new ReentrantLock();
		// The door's own waiter first parks on something else for 20 ms, on its way in:
		// a look then sees that, not the lock's queue.
		Object decoy = new Object();
		AtomicBoolean first = new AtomicBoolean(true);
		Lock decoyed = new ReentrantLock() {
			@Override
			public boolean tryLock() {
				return lock.tryLock();
			}

			@Override
			public void lockInterruptibly() throws InterruptedException {
				if (first.getAndSet(false)) {
					LockSupport.parkNanos(decoy, 20_000_000);
				}
				lock.lockInterruptibly();
			}

			@Override
			public void unlock() {
				lock.unlock();
			}
		};
		try (KnockKnock knocker = knocker("decoyed", Doors.lock(decoyed))) {
			// Calls are open before the first knock, so that the first wait is looked at.
			try (Callers queued = new Callers(knocker, lockEntry(lock), 4, HOLD, ELSEWHERE)) {
				knocker.start();
				Workload.sleepMillis(2000);
				double[] means = queued.means();
				System.out.printf("decoyed lock: truth %.3f, waited %.3f%n", means[0], means[1]);
				assertThat(first).isFalse();
				assertThat(means[0]).isBetween(0.3, 0.9);
				assertThat(means[1]).isCloseTo(means[0], within(0.1));
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "lock", "semaphore" })
	void aCallQueuedBeforeTheDoorsOwnWaiterReadsItsWholeWait(String kind) throws Exception {
		// The door's own waiter takes 400 ms to reach the door's queue the first time, as
		// a new thread beside spinning loops can take a whole window: until a look has
		// seen it parked there, the door cannot tell the queue it waits in.
		ReentrantLock lock = new ReentrantLock();
		Semaphore semaphore = new Semaphore(1);
		AtomicBoolean first = new AtomicBoolean(true);
		Door door = "lock".equals(kind) ? Doors.lock(new ReentrantLock() {
			@Override
			public boolean tryLock() {
				return lock.tryLock();
			}

			@Override
			public void lockInterruptibly() throws InterruptedException {
				slowFirst(first);
				lock.lockInterruptibly();
			}

			@Override
			public void unlock() {
				lock.unlock();
			}
		}) : Doors.semaphore(new Semaphore(1) {
			@Override
			public boolean tryAcquire() {
				return semaphore.tryAcquire();
			}

			@Override
			public void acquire() throws InterruptedException {
				slowFirst(first);
				semaphore.acquire();
			}

			@Override
			public void release() {
				semaphore.release();
			}
		});
		try (KnockKnock knocker = knocker("slow-waiter-" + kind, door)) {
			knocker.start();
			Workload.sleepMillis(300);
			MeasuredCall[] call = new MeasuredCall[1];
			Thread caller = new Thread(() -> {
				try (MeasuredCall measured = knocker.open()) {
					call[0] = measured;
					if ("lock".equals(kind)) {
						lock.lock();
						lock.unlock();
					}
					else {
						semaphore.acquireUninterruptibly();
						semaphore.release();
					}
				}
			});
			// The truth, sampled by the test: how long the caller sat in the queue.
			long queuedNanos = 0;
			long began;
			if ("lock".equals(kind)) {
				lock.lock();
			}
			else {
				semaphore.acquire();
			}
			try {
				caller.start();
				long last = System.nanoTime();
				began = last;
				long end = last + 1_200_000_000L;
				while (last - end < 0) {
					LockSupport.parkNanos(200_000);
					long now = System.nanoTime();
					if ("lock".equals(kind) ? lock.hasQueuedThread(caller) : semaphore.getQueueLength() > 0) {
						queuedNanos += now - last;
					}
					last = now;
				}
			}
			finally {
				if ("lock".equals(kind)) {
					lock.unlock();
				}
				else {
					semaphore.release();
				}
			}
			caller.join();
			double truth = (double) queuedNanos / (System.nanoTime() - began);
			double waited = call[0].waited().orElse(-1);
			System.out.printf("queued before a slow waiter on a %s: truth %.3f, waited %.3f%n", kind, truth, waited);
			assertThat(first).isFalse();
			// A third of the call went by before the waiter queued: a door guessing "not
			// waiting" then reads about 0.65.
			assertThat(truth).isGreaterThan(0.8);
			assertThat(waited).isCloseTo(truth, within(0.1));
		}
	}

	private static void slowFirst(AtomicBoolean first) throws InterruptedException {
		if (first.getAndSet(false)) {
			Thread.sleep(400);
		}
	}

	@Test
	void aVirtualThreadOnAMonitorDoorHasNoWaitedFigureNotZero() throws Exception {
		assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21");
		Object monitor = new Object();
		MeasuredCall[] call = new MeasuredCall[1];
		try (KnockKnock knocker = knocker("virtual-monitor", Doors.monitor(monitor))) {
			knocker.start();
			Thread virtual = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class)
				.invoke(null, (Runnable) () -> {
					try (MeasuredCall open = knocker.open()) {
						call[0] = open;
						// Not blocked on the monitor, but the JVM could not have said so
						// had it been.
						Workload.sleepMillis(300);
					}
				});
			virtual.join();
		}
		assertThat(call[0].isSampled()).isTrue();
		assertThat(call[0].waited()).isEmpty();
	}

	private static KnockKnock quiet(String name, Door door) {
		return KnockKnock.builder().name(name).door(door).pollingInterval(POLLING).holderSamplesPerSecond(0).build();
	}

	private static KnockKnock knocker(String name, Door door) {
		return KnockKnock.builder().name(name).door(door).pollingInterval(POLLING).build();
	}

	private static Callers.Entry lockEntry(ReentrantLock lock) {
		return (entered, held) -> {
			lock.lockInterruptibly();
			try {
				entered.run();
				LockSupport.parkNanos(held);
			}
			finally {
				lock.unlock();
			}
		};
	}

}
