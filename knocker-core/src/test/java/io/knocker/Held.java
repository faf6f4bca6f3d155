package io.knocker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

/**
 * A door held "forever": a thread that takes a monitor or a lock and holds it until
 * released, then ends. Closing releases it and waits for the thread.
 */
final class Held implements AutoCloseable {

	private final CountDownLatch held = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	private final Thread thread;

	/**
	 * @param hold takes the door, runs what it is given while holding it, lets go
	 */
	private Held(String threadName, Consumer<Runnable> hold) throws InterruptedException {
		this.thread = new Thread(() -> hold.accept(this::holding), threadName);
		this.thread.start();
		this.held.await();
	}

	/** Holds {@code monitor} on a thread named {@code threadName} until released. */
	static Held monitor(Object monitor, String threadName) throws InterruptedException {
		return new Held(threadName, (whileHeld) -> {
			synchronized (monitor) {
				whileHeld.run();
			}
		});
	}

	/** Holds {@code lock} on a thread named {@code threadName} until released. */
	static Held lock(Lock lock, String threadName) throws InterruptedException {
		return new Held(threadName, (whileHeld) -> {
			lock.lock();
			try {
				whileHeld.run();
			}
			finally {
				lock.unlock();
			}
		});
	}

	private void holding() {
		this.held.countDown();
		Workload.awaitQuietly(this.release);
	}

	/** Lets go; the thread ends soon after. */
	void release() {
		this.release.countDown();
	}

	@Override
	public void close() throws InterruptedException {
		release();
		this.thread.join();
	}

}
