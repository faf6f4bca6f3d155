package io.knocker;

/**
 * Something threads compete for, that a {@link KnockKnock} knocks on to measure how long
 * getting through it takes. Create doors with {@link Doors}; give each knocker a door of
 * its own.
 * <p>
 * Every door of an application is knocked by one shared thread, so a door says how it is
 * knocked without ever blocking that thread: a door that can try (a lock, a semaphore)
 * tries, and hands a knock that must wait to a waiting thread of its own; an executor
 * hands the knock to the executor; the JVM door's knock is the shared thread's own
 * lateness.
 * <p>
 * A door of your own (a connection pool, a rate limiter) is an extension point: extend
 * {@link WaitingDoor} when a knock can try and, failing that, wait; extend this class
 * directly when the door completes knocks by itself, as an executor does. A door that can
 * tell whether a given thread is waiting at it now also overrides
 * {@link #waitingCheck()}, so that calls measured on it get their own wait
 * ({@link MeasuredCall#waited()}). In Spring Boot, a {@code Door} bean is knocked on as a
 * door named after the bean.
 */
public abstract class Door {

	private final String kind;

	/**
	 * Creates a door.
	 * @param kind what sort of door this is, shown by the endpoint, such as
	 * {@code connection-pool}
	 */
	protected Door(String kind) {
		if (kind == null || kind.isBlank()) {
			throw new IllegalArgumentException("kind must not be blank");
		}
		this.kind = kind;
	}

	/**
	 * What sort of door this is: {@code jvm}, {@code lock}, {@code read-write-lock},
	 * {@code monitor}, {@code semaphore}, {@code executor}, {@code virtual-threads}, or a
	 * door of your own's.
	 * @return the kind of door
	 */
	public final String kind() {
		return this.kind;
	}

	/**
	 * Knocks once, on the shared knock loop, which this method must never block: every
	 * door's knocks wait for it. A door that gets straight through calls
	 * {@link Knock#gotThrough(boolean) knock.gotThrough(true)} before returning; one that
	 * must wait calls {@link Knock#waitingSince(long, long)} and then, from whatever
	 * thread does the waiting, {@code gotThrough(false)} (or
	 * {@link Knock#failed(Throwable)}) exactly once. The loop makes no new knock on this
	 * door until then; knocks that fall due meanwhile count as busy. An exception thrown
	 * here counts as a failed knock.
	 * @param knock the knock under way
	 */
	protected abstract void knock(Knock knock);

	/**
	 * The knocker starts: the door opens what it needs, on the thread that calls start.
	 * @param knock the handle its knocks will be made through until the knocker stops
	 */
	protected void opened(Knock knock) {
	}

	/**
	 * The knocker stops: the door releases what it opened and waits for its own threads
	 * until the deadline.
	 * @param deadlineNanos the {@link System#nanoTime()} to wait until at most
	 * @return whether everything the door started has ended
	 */
	protected boolean closed(long deadlineNanos) {
		return true;
	}

	/**
	 * How to tell whether a thread is waiting at this door now, for the share of a
	 * measured call's time that its own thread spent waiting here
	 * ({@link MeasuredCall#waited()}). At each knock the knock loop asks it once for the
	 * thread of every call open on the door. A door that cannot tell returns
	 * {@code null}, the default: calls measured on it then have no waited figure (absent,
	 * never 0, so that such a door never looks free).
	 * @return the check, or {@code null} when the door cannot tell
	 */
	protected WaitingCheck waitingCheck() {
		return null;
	}

	/**
	 * How many can get through at once: a pool's most connections, a semaphore's permits,
	 * an executor's most threads, 1 for a lock or a monitor; 0 where the door cannot
	 * tell, the default. Read for advice on the door's size, never on the knock loop.
	 * @return the door's capacity now, or 0 when unknown
	 */
	public int capacity() {
		return 0;
	}

	@Override
	public String toString() {
		return this.kind + " door";
	}

	/**
	 * Tells whether a thread is waiting at a door now. Called on the shared knock loop,
	 * once per knock for each measured call open on the door: it must not block, and
	 * should neither allocate nor stop the world (a field read, such as
	 * {@link java.util.concurrent.locks.LockSupport#getBlocker(Thread)}, is the model).
	 */
	@FunctionalInterface
	public interface WaitingCheck {

		/**
		 * Whether the thread is waiting at the door now.
		 * @param thread the thread of a call open on the door
		 * @return {@link Boolean#TRUE} or {@link Boolean#FALSE}, or {@code null} when the
		 * door cannot tell for this thread (the call then has no waited figure)
		 */
		Boolean isWaiting(Thread thread);

	}

	/**
	 * One knocker's side of the knock loop, as a door sees it. Its methods never block
	 * and may be called from any thread.
	 */
	public interface Knock {

		/**
		 * The knocker's name, for a door that names a thread of its own after it.
		 * @return the name
		 */
		String name();

		/**
		 * The mean time between knocks.
		 * @return the polling interval in nanoseconds
		 */
		long pollingNanos();

		/**
		 * When the knock under way could start: when it fell due or, if the shared loop
		 * was still knocking other doors then, when it was done.
		 * @return a {@link System#nanoTime()}
		 */
		long dueNanos();

		/**
		 * The knock under way waits from {@code nanoTime} on, until it gets through.
		 * @param nanoTime a {@link System#nanoTime()}, usually now
		 * @param busyThresholdNanos a wait longer than this makes the knock busy; 0 for
		 * any wait
		 */
		void waitingSince(long nanoTime, long busyThresholdNanos);

		/**
		 * The knock under way ends now; from any thread, once.
		 * @param straightThrough whether it got through without waiting, so that nothing
		 * published by {@link #waitingSince} counts
		 */
		void gotThrough(boolean straightThrough);

		/**
		 * The knock under way threw instead of getting through; from any thread, once. It
		 * counts as a failed knock, not as a wait.
		 * @param failure what it threw
		 */
		void failed(Throwable failure);

	}

}
