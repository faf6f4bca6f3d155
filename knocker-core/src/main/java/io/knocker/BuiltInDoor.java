package io.knocker;

/**
 * What Knocker's own doors tell the knock loop beyond {@link Door}'s public surface,
 * which holds only what a door of a user's can use: who holds the door, how dear a look
 * at a waiting thread is, and the JVM door's accounting of the whole time. A door that is
 * not one of these answers with the defaults.
 */
interface BuiltInDoor {

	/** The answers of a door that is not one of Knocker's own. */
	BuiltInDoor NONE = new BuiltInDoor() {
	};

	/** The door's answers, or the defaults for a door of a user's. */
	static BuiltInDoor of(Door door) {
		return (door instanceof BuiltInDoor builtIn) ? builtIn : NONE;
	}

	/**
	 * Most open calls a knock looks at; the others are looked at by the next knocks, in
	 * turn. A door whose look is dear says fewer.
	 */
	default int maxLooksPerKnock() {
		return OpenCalls.MAX_LOOKS_PER_KNOCK;
	}

	/**
	 * Whether the door's {@link Door.WaitingCheck} can tell now; while it cannot, the
	 * knock's look at the open calls is skipped rather than counted as "not waiting".
	 */
	default boolean tellsNow() {
		return true;
	}

	/** Whether the JVM can name who holds this door: a lock's or a monitor's owner. */
	default boolean samplesHolders() {
		return false;
	}

	/**
	 * The thread that waits on this door for a busy knock, blocked on what the door's
	 * holder owns, so that the holder can be named; {@code null} for doors without an
	 * owner.
	 */
	default Thread holderWaiter() {
		return null;
	}

	/**
	 * What {@link #holderWaiter()} blocks on while it waits at this door (a monitor, or a
	 * synchronizer's queue), so that a holder sample is taken only while the waiter is
	 * blocked on it, never while it is still waking or idle between knocks; {@code null}
	 * while not known.
	 */
	default Object holderLock() {
		return null;
	}

	/**
	 * Whether the door counts the JVM's stop-the-world pauses, and a pause or a starved
	 * CPU stops every thread: a call's own wait is then its contention.
	 */
	default boolean countsGcPauses() {
		return false;
	}

	/**
	 * How the knock loop drives this door's windows: only the JVM door, which accounts
	 * for the sleeps between windows too, needs more than its knocks.
	 */
	default Knocking.Windows windows() {
		return null;
	}

}
