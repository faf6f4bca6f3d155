package io.knocker;

import java.util.concurrent.Semaphore;

/** A {@link Semaphore}: a knock is {@code acquire()} then {@code release()}, trying first. */
final class SemaphoreDoor extends Door {

	private final Semaphore semaphore;

	SemaphoreDoor(Semaphore semaphore) {
		super("semaphore");
		this.semaphore = semaphore;
	}

	@Override
	boolean knock(Knock knock) throws InterruptedException {
		if (this.semaphore.tryAcquire()) {
			this.semaphore.release();
			return true;
		}
		knock.busySince(System.nanoTime());
		this.semaphore.acquire();
		this.semaphore.release();		return false;
	}

}
