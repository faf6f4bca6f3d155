package io.knocker;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Semaphore}: a knock is {@code tryAcquire()} then {@code release()} on the
 * knock loop; when no permit is left, {@code acquire()} then {@code release()} on the
 * door's own thread.
 */
final class SemaphoreDoor extends WaitingDoor implements BuiltInDoor {

	private final Semaphore semaphore;

	/**
	 * The most permits seen free: a semaphore does not say how many it was made with, and
	 * one at rest has them all.
	 */
	private final AtomicInteger mostFree;

	SemaphoreDoor(Semaphore semaphore) {
		super("semaphore");
		this.semaphore = semaphore;
		this.mostFree = new AtomicInteger(semaphore.availablePermits());
	}

	/** The most permits seen free at once: its permits, once it has been seen at rest. */
	@Override
	public int capacity() {
		seeFree();
		return this.mostFree.get();
	}

	private void seeFree() {
		// Read on the knock loop and by the endpoint: never lowered by a race.
		this.mostFree.accumulateAndGet(this.semaphore.availablePermits(), Math::max);
	}

	@Override
	protected WaitingCheck waitingCheck() {
		return this::parkedWithWaiter;
	}

	@Override
	public boolean tellsNow() {
		return knowsItsQueue();
	}

	@Override
	protected boolean tryKnock() {
		seeFree();
		if (this.semaphore.tryAcquire()) {
			this.semaphore.release();
			return true;
		}
		return false;
	}

	@Override
	protected void await() throws InterruptedException {
		this.semaphore.acquire();
		this.semaphore.release();
	}

}
