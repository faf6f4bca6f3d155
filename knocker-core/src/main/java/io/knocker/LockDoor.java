package io.knocker;

import java.util.concurrent.locks.Lock;

/** A {@link Lock}: a knock is {@code lock()} then {@code unlock()}, trying first. */
final class LockDoor extends Door {

	private final Lock lock;

	LockDoor(Lock lock) {
		super("lock");
		this.lock = lock;
	}

	@Override
	boolean knock(Knock knock) throws InterruptedException {
		if (this.lock.tryLock()) {
			this.lock.unlock();
			return true;
		}
		knock.busySince(System.nanoTime());
		this.lock.lockInterruptibly();
		this.lock.unlock();		return false;
	}

}
