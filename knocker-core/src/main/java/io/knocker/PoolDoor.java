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
final class PoolDoor extends WaitingDoor {

	private final IntSupplier idle;

	private final IntSupplier waiting;

	private final WaitingCheck check;

	private final IntSupplier capacity;

	private long pollingNanos;

	PoolDoor(IntSupplier idle, IntSupplier waiting, WaitingCheck check, IntSupplier capacity) {
		super("connection-pool");
		this.idle = idle;
		this.waiting = waiting;
		this.check = check;
		this.capacity = capacity;
	}

	@Override
	public int capacity() {
		return (this.capacity != null) ? Math.max(0, this.capacity.getAsInt()) : 0;
	}

	@Override
	protected boolean tryKnock() {
		return this.idle.getAsInt() > 0 && this.waiting.getAsInt() == 0;
	}

	@Override
	protected void await() throws InterruptedException {
		while (!tryKnock()) {
			LockSupport.parkNanos(this, this.pollingNanos);
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}
	}

	@Override
	protected void opened(Knock knock) {
		this.pollingNanos = knock.pollingNanos();
		super.opened(knock);
	}

	@Override
	protected WaitingCheck waitingCheck() {
		return this.check;
	}

}
