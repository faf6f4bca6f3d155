package io.knocker;

import java.util.concurrent.locks.LockSupport;

/**
 * A door that a knock first tries and, when it is taken, waits on: the wait is made on a
 * thread of the door's own, named {@code knocker-<name>}, parked otherwise and started at
 * the first wait, so that the shared knock loop never blocks. Extend it for a door of
 * your own, such as a connection pool: {@link #tryKnock()} takes and returns a connection
 * if one is free, {@link #await()} waits for one and returns it.
 */
public abstract class WaitingDoor extends Door {

	Waiter waiter;

	/** What the door's own waiter was seen parked on: the synchronizer's queue. */
	private volatile Object blocker;

	/**
	 * Creates a door.
	 * @param kind what sort of door this is, such as {@code connection-pool}
	 */
	protected WaitingDoor(String kind) {
		super(kind);
	}

	/**
	 * Tries to get through without waiting, and leaves at once if it did. Called on the
	 * knock loop: it must not block.
	 * @return whether it got through
	 */
	protected abstract boolean tryKnock();

	/**
	 * Waits until it gets through, then leaves at once. Called on the door's own thread;
	 * it should give up when interrupted, which is how a stop ends it.
	 * @throws InterruptedException when interrupted while waiting
	 */
	protected abstract void await() throws InterruptedException;

	@Override
	protected final void knock(Knock knock) {
		if (tryKnock()) {
			knock.gotThrough(true);
			return;
		}
		knock.waitingSince(System.nanoTime(), 0);
		this.waiter.handOff(knock);
	}

	/**
	 * Whether the thread is parked on what the door's own waiter parks on (for a lock or
	 * a semaphore, its synchronizer: every thread queued on one has the same
	 * {@link LockSupport#getBlocker(Thread) blocker}). A field read or two: no lock, no
	 * allocation.
	 */
	final Boolean parkedWithWaiter(Thread thread) {
		Object blocker = blocker();
		return (blocker != null && LockSupport.getBlocker(thread) == blocker) ? Boolean.TRUE : Boolean.FALSE;
	}

	/**
	 * What the door's own waiter parks on when it waits at the door, learnt again at
	 * every look that finds it waiting there, so that a wrong first sighting (the waiter
	 * parked on something else on its way in) never sticks; until the first,
	 * {@code null}, and no thread can be told waiting.
	 */
	final Object blocker() {
		Waiter waiter = this.waiter;
		Thread waiting = (waiter != null && waiter.awaiting()) ? waiter.thread() : null;
		Object seen = (waiting != null) ? LockSupport.getBlocker(waiting) : null;
		if (seen != null && seen != waiter && seen != this.blocker) {
			this.blocker = seen;
			return seen;
		}
		return this.blocker;
	}

	/**
	 * Whether {@link #parkedWithWaiter(Thread)} can tell now: not while the door's own
	 * waiter is at a taken door it has never been seen parked at (the first looks at a
	 * newly contended door, while the waiter starts or queues), when "not waiting" would
	 * be a guess that reads a queued call low.
	 */
	final boolean knowsItsQueue() {
		if (blocker() != null) {
			return true;
		}
		Waiter waiter = this.waiter;
		return waiter == null || !waiter.busy();
	}

	@Override
	protected void opened(Knock knock) {
		this.waiter = new Waiter(knock.name(), (waiting) -> {
			await();
			return false;
		});
	}

	@Override
	protected boolean closed(long deadlineNanos) {
		return this.waiter.close(deadlineNanos);
	}

}
