package io.knocker;

/**
 * Something threads compete for, that a {@link KnockKnock} knocks on to measure how long
 * getting through it takes. Create doors with {@link Doors}; give each knocker a door of its own.
 */
public abstract class Door {

	private final String kind;

	Door(String kind) {
		this.kind = kind;
	}

	/**
	 * What sort of door this is: {@code jvm}, {@code lock}, {@code monitor}, {@code semaphore}
	 * or {@code executor}.
	 * @return the kind of door
	 */
	public final String kind() {
		return this.kind;
	}

	/**
	 * Knocks once: gets through the door and leaves it at once. Before it may wait, the door calls
	 * {@link Knock#busySince(long)}, so that the wait counts while it lasts.
	 * @return {@code true} if the knock got straight through, so that nothing it may have
	 * published counts as a wait
	 */
	abstract boolean knock(Knock knock) throws InterruptedException;

	/** A wait longer than this makes a knock busy; timer noise below it does not. */
	long busyThresholdNanos() {
		return 0;
	}

	/**
	 * Whether a knock is itself a sleep of one polling interval. Such a door knocks back to back,
	 * with no jittered pause and no sleeping gap, so it measures all of the time.
	 */
	boolean knockIsSleep() {
		return false;
	}

	@Override
	public String toString() {
		return this.kind + " door";
	}

	/** What a door tells the knock loop while it knocks. */
	interface Knock {

		/** The polling interval in nanoseconds. */
		long pollingNanos();

		/** The knock waits from this {@link System#nanoTime()} on, until it gets through. */
		void busySince(long nanoTime);

	}

}
