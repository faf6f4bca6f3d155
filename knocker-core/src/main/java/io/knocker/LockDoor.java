package io.knocker;

import java.util.concurrent.locks.Lock;

/**
 * A {@link Lock}: a knock is {@code tryLock()} then {@code unlock()} on the knock loop;
 * when the lock is taken, {@code lockInterruptibly()} then {@code unlock()} on the door's
 * {@link Waiter}.
 */
final class LockDoor extends Door {

	private final Lock lock;

	private Waiter waiter;

	LockDoor(Lock lock) {
		this("lock", lock);
	}

	LockDoor(String kind, Lock lock) {
		super(kind);
		this.lock = lock;
	}

	@Override
	void opened(Knock knock) {
		this.waiter = new Waiter(knock.name(), this::await);
	}

	@Override
	void knock(Knock knock) {
		if (this.lock.tryLock()) {
			this.lock.unlock();
			knock.gotThrough(true);
			return;
		}
		knock.waitingSince(System.nanoTime(), 0);
		this.waiter.handOff(knock);
	}

	private boolean await(Knock knock) throws InterruptedException {
		this.lock.lockInterruptibly();
		this.lock.unlock();
		return false;
	}

	@Override
	boolean closed(long deadlineNanos) {
		return this.waiter.close(deadlineNanos);
	}

}
