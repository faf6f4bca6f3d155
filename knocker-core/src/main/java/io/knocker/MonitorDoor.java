package io.knocker;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * A plain object's monitor: a knock is {@code synchronized (monitor) {}}. A monitor has
 * no try-enter, so every knock is made on the door's {@link Waiter}, and it got straight
 * through when entering took no longer than an uncontended enter ever does, timed tightly
 * around the enter. Entering a monitor cannot be interrupted: a knock stuck on a monitor
 * held forever stays stuck, though {@link KnockKnock#stop()} still returns within its
 * timeout and other doors go on.
 */
final class MonitorDoor extends Door implements HeldDoor {

	/**
	 * An uncontended enter takes tens of nanoseconds; a contended one at least
	 * microseconds.
	 */
	private static final long UNCONTENDED_ENTER_NANOS = 1_000;

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	/** Virtual threads' common class (JDK 21+), {@code null} before it. */
	private static final Class<?> VIRTUAL = virtualThreads();

	/**
	 * Threads remembered as last seen blocked on this monitor, by the low bits of their
	 * id: a collision forgets a sighting, no more.
	 */
	private static final int SIGHTINGS = 256;

	private final Object monitor;

	/**
	 * The ids of the threads last seen blocked on this monitor (0: none), each in the
	 * slot of its low bits; the knock loop's own, as the looks are.
	 */
	private final long[] sightedIds = new long[SIGHTINGS];

	/** Each sighted thread's blocked count then: which contended enter it was in. */
	private final long[] sightedBlockedCounts = new long[SIGHTINGS];

	private Waiter waiter;

	MonitorDoor(Object monitor) {
		super("monitor");
		this.monitor = monitor;
	}

	@Override
	public int capacity() {
		return 1;
	}

	@Override
	protected WaitingCheck waitingCheck() {
		return this::blockedOnMonitor;
	}

	/**
	 * A look at a blocked thread asks the JVM (about 1.5 µs on the knock loop): a dozen a
	 * knock keeps 200 calls blocked on the monitor within twice the loop's cost with one.
	 */
	@Override
	public int maxLooksPerKnock() {
		return 12;
	}

	/**
	 * Whether the thread is blocked entering this monitor: its state first (a field
	 * read), and only for a blocked thread what it is blocked on, from the JVM
	 * ({@code getThreadInfo(id, 0)}: no stack, so no safepoint; about 3 µs and one
	 * {@link ThreadInfo} object). The JVM names the monitor only while someone owns it:
	 * between owners (the last one has let go, the one it woke has yet to run and take
	 * it, which on a loaded machine lasts a scheduling delay) it reports every thread
	 * blocked on it as running, on nothing. A thread still blocked in the same contended
	 * enter (the same {@link ThreadInfo#getBlockedCount() blocked count}) as when it was
	 * last seen blocked on this monitor is still waiting for it. The JVM cannot say for a
	 * virtual thread, in any state: {@code null}.
	 */
	private Boolean blockedOnMonitor(Thread thread) {
		if (VIRTUAL != null && VIRTUAL.isInstance(thread)) {
			// Whatever its state says, the JVM cannot name a virtual thread's monitor.
			return null;
		}
		if (thread.getState() != Thread.State.BLOCKED) {
			return Boolean.FALSE;
		}
		long id = thread.getId();
		ThreadInfo info = threads.getThreadInfo(id, 0);
		if (info == null) {
			return null;
		}
		LockInfo on = info.getLockInfo();
		int slot = (int) (id & (SIGHTINGS - 1));
		if (Holders.names(on, this.monitor)) {
			this.sightedIds[slot] = id;
			this.sightedBlockedCounts[slot] = info.getBlockedCount();
			return Boolean.TRUE;
		}
		// Between owners, or through the door since its state was read: still blocked,
		// and in the enter it was seen blocked on this monitor, it waits for it.
		return (on == null && this.sightedIds[slot] == id && this.sightedBlockedCounts[slot] == info.getBlockedCount()
				&& thread.getState() == Thread.State.BLOCKED) ? Boolean.TRUE : Boolean.FALSE;
	}

	private static Class<?> virtualThreads() {
		try {
			return Class.forName("java.lang.BaseVirtualThread");
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

	@Override
	protected void opened(Knock knock) {
		this.waiter = new Waiter(knock.name(), this::await);
	}

	@Override
	protected void knock(Knock knock) {
		this.waiter.handOff(knock);
	}

	private boolean await(Knock knock) {
		knock.waitingSince(System.nanoTime(), UNCONTENDED_ENTER_NANOS);
		long entering = System.nanoTime();
		long entered;
		synchronized (this.monitor) {
			entered = System.nanoTime();
		}
		return entered - entering <= UNCONTENDED_ENTER_NANOS;
	}

	@Override
	public Waiter waiter() {
		return this.waiter;
	}

	@Override
	public Object holderLock() {
		return this.monitor;
	}

	@Override
	protected boolean closed(long deadlineNanos) {
		return this.waiter.close(deadlineNanos);
	}

}
