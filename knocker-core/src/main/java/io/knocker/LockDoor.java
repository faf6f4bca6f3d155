package io.knocker;

import java.util.concurrent.locks.Lock;

/**
 * A {@link Lock}: a knock is {@code tryLock()} then {@code unlock()} on the knock loop;
 * when the lock is taken, {@code lockInterruptibly()} then {@code unlock()} on the door's
 * own thread.
 */
final class LockDoor extends WaitingDoor implements HeldDoor {

	private final Lock lock;

	LockDoor(String kind, Lock lock) {
		super(kind);
		this.lock = lock;
	}

	/** One holder at a time (for a read-write lock, one writer). */
	@Override
	public int capacity() {
		return 1;
	}

	/**
	 * A lock's owner is named by the JVM (an exclusive ownable synchronizer); a
	 * read-write lock's reader waits on its writer.
	 */
	@Override
	public Waiter waiter() {
		return this.waiter;
	}

	@Override
	public Object holderLock() {
		return blocker();
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
		if (this.lock.tryLock()) {
			this.lock.unlock();
			return true;
		}
		return false;
	}

	@Override
	protected void await() throws InterruptedException {
		this.lock.lockInterruptibly();
		this.lock.unlock();
	}

}
