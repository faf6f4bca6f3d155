package io.knocker;

import java.util.concurrent.locks.LockSupport;

/**
 * The thread a door waits on when a knock cannot get through at once, so that the shared
 * knock loop never blocks. Parked while there is nothing to wait for, started at the
 * first knock that waits, named {@code knocker-<name>}. One per start of a knocker: a
 * thread stuck past {@code stop()} ends when it gets through and never takes another
 * knock.
 */
final class Waiter implements Runnable {

	/** How a door waits, on the waiter's thread. */
	interface Wait {

		/** Waits to get through the door; whether the knock got straight through. */
		boolean await(Door.Knock knock) throws InterruptedException;

	}

	private final Wait wait;

	private final String name;

	private volatile Door.Knock knock;

	private volatile Thread thread;

	private volatile boolean closed;

	/** Whether the thread is inside a wait at the door, not parked idle on itself. */
	private volatile boolean awaiting;

	Waiter(String name, Wait wait) {
		this.name = name;
		this.wait = wait;
	}

	/** The waiting thread, once started. */
	Thread thread() {
		return this.thread;
	}

	/** Whether the thread is waiting at the door now. */
	boolean awaiting() {
		return this.awaiting;
	}

	/**
	 * Whether a knock is handed over and not yet through: pending, or waited for now.
	 */
	boolean busy() {
		return this.awaiting || this.knock != null;
	}

	/** Hands a knock over to wait for; called by the knock loop, one knock at a time. */
	void handOff(Door.Knock knock) {
		if (this.closed) {
			return;
		}
		this.knock = knock;
		Thread thread = this.thread;
		if (thread == null) {
			thread = new Thread(this, "knocker-" + this.name);
			thread.setDaemon(true);
			this.thread = thread;
			thread.start();
		}
		else {
			LockSupport.unpark(thread);
		}
	}

	@Override
	public void run() {
		while (!this.closed) {
			Door.Knock knock = this.knock;
			if (knock == null) {
				LockSupport.park(this);
				continue;
			}
			try {
				// Busy throughout: awaiting before the knock is taken off.
				this.awaiting = true;
				this.knock = null;
				boolean straightThrough = this.wait.await(knock);
				this.awaiting = false;
				knock.gotThrough(straightThrough);
			}
			catch (InterruptedException ex) {
				// Only close() interrupts.
			}
			catch (RuntimeException | Error ex) {
				knock.failed(ex);
			}
			finally {
				this.awaiting = false;
			}
		}
	}

	/**
	 * Ends the thread, waiting for it at most until the deadline; whether it has ended.
	 */
	boolean close(long deadlineNanos) {
		this.closed = true;
		Thread thread = this.thread;
		if (thread == null) {
			return true;
		}
		thread.interrupt();
		try {
			long left = deadlineNanos - System.nanoTime();
			if (left > 0) {
				thread.join(Math.max(1, left / 1_000_000));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !thread.isAlive();
	}

}
