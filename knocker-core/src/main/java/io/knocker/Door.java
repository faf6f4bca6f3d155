package io.knocker;

/**
 * Something threads compete for, that a {@link KnockKnock} knocks on to measure how long
 * getting through it takes. Create doors with {@link Doors}; give each knocker a door of
 * its own.
 * <p>
 * Every door of an application is knocked by one shared thread, so a door says how it is
 * knocked without ever blocking that thread: a door that can try (a lock, a semaphore)
 * tries, and hands a knock that must wait to a waiting thread of its own
 * ({@link Waiter}); an executor hands the knock to the executor; the JVM door's knock is
 * the shared thread's own lateness.
 */
public abstract class Door {

	private final String kind;

	Door(String kind) {
		this.kind = kind;
	}

	/**
	 * What sort of door this is: {@code jvm}, {@code lock}, {@code read-write-lock},
	 * {@code monitor}, {@code semaphore} or {@code executor}.
	 * @return the kind of door
	 */
	public final String kind() {
		return this.kind;
	}

	/**
	 * Knocks once, on the shared knock loop, which must never block. A door that gets
	 * straight through calls {@link Knock#gotThrough(boolean) knock.gotThrough(true)}
	 * before returning; one that must wait calls {@link Knock#waitingSince(long, long)}
	 * and then, from whatever thread does the waiting, {@code gotThrough(false)} (or
	 * {@link Knock#failed(Throwable)}) once.
	 */
	abstract void knock(Knock knock);

	/**
	 * The knocker starts: the door opens what it needs, on the thread that calls start.
	 */
	void opened(Knock knock) {
	}

	/**
	 * The knocker stops: the door releases what it opened and waits for its own threads
	 * until the deadline ({@link System#nanoTime()}).
	 * @return whether everything the door started has ended
	 */
	boolean closed(long deadlineNanos) {
		return true;
	}

	/** A sampling window begins, on the knock loop. */
	void windowBegan(Knock knock, long now) {
	}

	/**
	 * A sampling window ends, on the knock loop, before the window's figures are booked.
	 */
	void windowEnded(Knock knock, long now) {
	}

	/**
	 * Whether the door accounts for the sleeps between windows too, so that they count as
	 * sampled.
	 */
	boolean coversSleeps() {
		return false;
	}

	@Override
	public String toString() {
		return this.kind + " door";
	}

	/**
	 * One knocker's side of the knock loop, as a door sees it. Its methods never block.
	 */
	interface Knock {

		/** The knocker's name. */
		String name();

		/** The mean time between knocks, in nanoseconds. */
		long pollingNanos();

		/** When the knock under way was due ({@link System#nanoTime()}). */
		long dueNanos();

		/**
		 * The knock under way waits from {@code nanoTime} on; longer than the threshold
		 * is busy.
		 */
		void waitingSince(long nanoTime, long busyThresholdNanos);

		/** The knock under way ends now; from any thread, once. */
		void gotThrough(boolean straightThrough);

		/**
		 * The knock under way threw instead of getting through; from any thread, once.
		 */
		void failed(Throwable failure);

		/**
		 * A whole knock that waited from {@code nanoTime} until now (the JVM door's
		 * lateness).
		 */
		void knockedAfter(long nanoTime, long busyThresholdNanos);

		/**
		 * Time contended outside the knocks: pauses the JVM reports, starvation in a
		 * sleep.
		 */
		void contended(long nanos, long gcPauseNanos, long gcPauses);

	}

}
