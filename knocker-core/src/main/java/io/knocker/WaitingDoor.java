package io.knocker;

/**
 * A door that a knock first tries and, when it is taken, waits on: the wait is made on a
 * thread of the door's own, named {@code knocker-<name>}, parked otherwise and started at
 * the first wait, so that the shared knock loop never blocks. Extend it for a door of
 * your own, such as a connection pool: {@link #tryKnock()} takes and returns a connection
 * if one is free, {@link #await()} waits for one and returns it.
 */
public abstract class WaitingDoor extends Door {

	Waiter waiter;

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
