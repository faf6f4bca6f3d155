package io.knocker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads that keep a door busy (or not) for a test, the way gilknocker's tests hold the
 * GIL.
 */
final class Workload implements AutoCloseable {

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running = true;

	static volatile long sink;

	/**
	 * Threads that each take the lock, compute for {@code heldNanos}, let go and compute
	 * for {@code freeNanos}.
	 */
	static Workload onLock(Lock lock, int threads, long heldNanos, long freeNanos) {
		return repeat(threads, () -> {
			lock.lock();
			try {
				compute(heldNanos);
			}
			finally {
				lock.unlock();
			}
			compute(freeNanos);
		});
	}

	/**
	 * Threads that each enter the monitor and compute for {@code heldNanos}, over and
	 * over.
	 */
	static Workload onMonitor(Object monitor, int threads, long heldNanos) {
		return repeat(threads, () -> {
			synchronized (monitor) {
				compute(heldNanos);
			}
		});
	}

	/**
	 * Threads that each take a permit and compute for {@code heldNanos}, over and over.
	 */
	static Workload onSemaphore(Semaphore semaphore, int threads, long heldNanos) {
		return repeat(threads, () -> {
			semaphore.acquireUninterruptibly();
			try {
				compute(heldNanos);
			}
			finally {
				semaphore.release();
			}
		});
	}

	/**
	 * One thread that holds the lock for {@code duty} of every {@code periodNanos},
	 * sleeping throughout.
	 */
	static Workload dutyCycle(Lock lock, double duty, long periodNanos) {
		long held = (long) (duty * periodNanos);
		return repeat(1, () -> {
			lock.lock();
			try {
				sleep(held);
			}
			finally {
				lock.unlock();
			}
			sleep(periodNanos - held);
		});
	}

	/**
	 * One thread, named, that runs {@code step} over and over with a 1 ms rest between,
	 * until closed: a holder that holds a door nearly all the time and lets knocks
	 * through now and then.
	 */
	static Workload holding(Runnable step, String threadName) {
		Workload workload = repeat(1, () -> {
			step.run();
			sleep(1_000_000);
		});
		workload.threads.get(0).setName(threadName);
		return workload;
	}

	/** Threads that each run {@code step} over and over until closed. */
	static Workload repeat(int threads, Runnable step) {
		Workload workload = new Workload();
		for (int i = 0; i < threads; i++) {
			workload.spawn(() -> {
				while (workload.running) {
					step.run();
				}
			});
		}
		return workload;
	}

	/** Busy-computes for about {@code nanos}, holding no lock. */
	static void compute(long nanos) {
		long end = System.nanoTime() + nanos;
		long x = 0;
		while (System.nanoTime() < end) {
			for (int i = 0; i < 100; i++) {
				x = x * 31 + i;
			}
		}
		sink = x;
	}

	static void sleep(long nanos) {
		long end = System.nanoTime() + nanos;
		long left;
		while ((left = end - System.nanoTime()) > 0) {
			LockSupport.parkNanos(left);
		}
	}

	/** Waits for the latch; an interrupt ends the wait and is kept. */
	static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void sleepMillis(long millis) {
		sleep(millis * 1_000_000);
	}

	void spawn(Runnable body) {
		Thread thread = new Thread(body, "workload-" + this.threads.size());
		thread.setDaemon(true);
		this.threads.add(thread);
		thread.start();
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join();
		}
	}

}
