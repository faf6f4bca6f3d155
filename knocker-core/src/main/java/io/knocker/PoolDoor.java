package io.knocker;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;

/**
 * A connection pool, read from its own counts so that a knock never takes a connection
 * from the application and never opens one: a knock gets straight through when a
 * connection is idle and nobody waits for one; otherwise it waits, on the door's own
 * thread, until a newcomer would get one (a connection idle and no thread waiting),
 * looking again every polling interval. Reading the counts costs what the pool's
 * statistics cost (HikariCP: a walk over its connections, no lock).
 */
final class PoolDoor extends Door {

	private final IntSupplier idle;

	private final IntSupplier waiting;

	private final WaitingCheck check;

	private Waiter waiter;

	PoolDoor(IntSupplier idle, IntSupplier waiting, WaitingCheck check) {
		super("connection-pool");
		this.idle = idle;
		this.waiting = waiting;
		this.check = check;
	}

	private boolean free() {
		return this.idle.getAsInt() > 0 && this.waiting.getAsInt() == 0;
	}

	@Override
	protected void opened(Knock knock) {
		long pollingNanos = knock.pollingNanos();
		this.waiter = new Waiter(knock.name(), (waiting) -> {
			while (!free()) {
				LockSupport.parkNanos(this, pollingNanos);
				if (Thread.interrupted()) {
					throw new InterruptedException();
				}
			}
			return false;
		});
	}

	@Override
	protected void knock(Knock knock) {
		if (free()) {
			knock.gotThrough(true);
			return;
		}
		knock.waitingSince(System.nanoTime(), 0);
		this.waiter.handOff(knock);
	}

	@Override
	protected WaitingCheck waitingCheck() {
		return this.check;
	}

	@Override
	protected boolean closed(long deadlineNanos) {
		return this.waiter.close(deadlineNanos);
	}

}
