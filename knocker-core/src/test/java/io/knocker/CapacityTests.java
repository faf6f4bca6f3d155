package io.knocker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each door says it lets through at once, the size advice starts from.
 */
class CapacityTests {

	@Test
	void aLockOrAMonitorLetsOneThrough() {
		assertThat(Doors.lock(new ReentrantLock()).capacity()).isOne();
		assertThat(Doors.readWriteLock(new ReentrantReadWriteLock()).capacity()).isOne();
		assertThat(Doors.monitor(new Object()).capacity()).isOne();
	}

	@Test
	void aSemaphoreSaysTheMostPermitsSeenFree() throws Exception {
		Semaphore semaphore = new Semaphore(5);
		semaphore.acquire(3);
		Door door = Doors.semaphore(semaphore);
		// Built while three were held: two seen so far.
		assertThat(door.capacity()).isEqualTo(2);
		semaphore.release(3);
		assertThat(door.capacity()).isEqualTo(5);
		semaphore.acquire(4);
		// Held again: still the most seen free.
		assertThat(door.capacity()).isEqualTo(5);
	}

	@Test
	void aJdkPoolSaysTheMostThreadsItRuns() {
		ThreadPoolExecutor bounded = new ThreadPoolExecutor(2, 6, 1, TimeUnit.SECONDS, new SynchronousQueue<>());
		// An unbounded queue: the pool never grows past its core size.
		ThreadPoolExecutor unbounded = new ThreadPoolExecutor(3, 9, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
		ExecutorService fixed = Executors.newFixedThreadPool(4);
		ForkJoinPool forkJoin = new ForkJoinPool(7);
		try {
			assertThat(Doors.executor(bounded).capacity()).isEqualTo(6);
			assertThat(Doors.executor(unbounded).capacity()).isEqualTo(3);
			// Still its core size with tasks queued (its queue's remaining capacity
			// drops).
			java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
			for (int i = 0; i < 5; i++) {
				unbounded.execute(() -> {
					try {
						held.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
			}
			assertThat(unbounded.getQueue()).hasSize(2);
			assertThat(Doors.executor(unbounded).capacity()).isEqualTo(3);
			held.countDown();
			assertThat(Doors.executor(fixed).capacity()).isEqualTo(4);
			assertThat(Doors.executor(forkJoin).capacity()).isEqualTo(7);
			bounded.setMaximumPoolSize(8);
			assertThat(Doors.executor(bounded).capacity()).isEqualTo(8);
			assertThat(Doors.executor(Runnable::run).capacity()).isZero();
		}
		finally {
			bounded.shutdown();
			unbounded.shutdown();
			fixed.shutdown();
			forkJoin.shutdown();
		}
	}

	@Test
	void aPoolOrAnExecutorSaysWhatItsSupplierSaysNow() {
		AtomicInteger most = new AtomicInteger(10);
		Door pool = Doors.connectionPool(() -> 1, () -> 0, null, most::get);
		Door executor = Doors.executor(Runnable::run, () -> true, most::get);
		assertThat(pool.capacity()).isEqualTo(10);
		assertThat(executor.capacity()).isEqualTo(10);
		most.set(12);
		assertThat(pool.capacity()).isEqualTo(12);
		assertThat(executor.capacity()).isEqualTo(12);
		assertThat(Doors.connectionPool(() -> 1, () -> 0, null).capacity()).isZero();
	}

	@Test
	void aDoorOfAUsersCannotTellByDefault() {
		Door own = new Door("own") {
			@Override
			protected void knock(Knock knock) {
				knock.gotThrough(true);
			}
		};
		assertThat(own.capacity()).isZero();
		assertThat(Doors.jvm().capacity()).isZero();
	}

}
