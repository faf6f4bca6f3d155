package io.knocker;

import java.util.concurrent.Semaphore;

/**
 * A {@link Semaphore}: a knock is {@code tryAcquire()} then {@code release()} on the
 * knock loop; when no permit is left, {@code acquire()} then {@code release()} on the
 * door's own thread.
 */
final class SemaphoreDoor extends WaitingDoor implements BuiltInDoor {

	private final Semaphore semaphore;

	SemaphoreDoor(Semaphore semaphore) {
		super("semaphore");
		this.semaphore = semaphore;
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
