package io.knocker.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;

/** Four threads taking a lock and computing for half a millisecond while they hold it. */
public final class LockHammer implements AutoCloseable {

	private final List<Thread> threads = new ArrayList<>();

	private volatile boolean running = true;

	public LockHammer(Lock lock) {
		for (int i = 0; i < 4; i++) {
			Thread thread = new Thread(() -> {
				while (this.running) {
					lock.lock();
					try {
						long end = System.nanoTime() + 500_000;
						while (System.nanoTime() < end) {
							Thread.onSpinWait();
						}
					}
					finally {
						lock.unlock();
					}
				}
			}, "hammer-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	/** Hammers the lock for a while, then stops. */
	public static void hammer(Lock lock, long millis) throws InterruptedException {
		try (LockHammer hammer = new LockHammer(lock)) {
			Thread.sleep(millis);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join();
		}
	}

}
