package io.knocker;

import java.util.concurrent.Semaphore;

/**
 * A {@link Semaphore}: a knock is {@code tryAcquire()} then {@code release()} on the
 * knock loop; when no permit is left, {@code acquire()} then {@code release()} on the
 * door's {@link Waiter}.
 */
final class SemaphoreDoor extends Door {

	private final Semaphore semaphore;

	private Waiter waiter;

	SemaphoreDoor(Semaphore semaphore) {
		super("semaphore");
		this.semaphore = semaphore;
	}

	@Override
	void opened(Knock knock) {
		this.waiter = new Waiter(knock.name(), this::await);
	}

	@Override
	void knock(Knock knock) {
		if (this.semaphore.tryAcquire()) {
			this.semaphore.release();
			knock.gotThrough(true);
			return;
		}
		knock.waitingSince(System.nanoTime(), 0);
		this.waiter.handOff(knock);
	}

	private boolean await(Knock knock) throws InterruptedException {
		this.semaphore.acquire();
		this.semaphore.release();
		return false;
	}

	@Override
	boolean closed(long deadlineNanos) {
		return this.waiter.close(deadlineNanos);
	}

}
