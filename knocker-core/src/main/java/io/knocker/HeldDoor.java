package io.knocker;

/**
 * A built-in door whose holder the JVM can name (a lock's or a monitor's owner): a busy
 * knock waits on the door's own {@link Waiter}, blocked on what the holder owns, and the
 * holder is sampled from there.
 */
interface HeldDoor extends BuiltInDoor {

	/** The door's own waiter; {@code null} until the knocker starts. */
	Waiter waiter();

	@Override
	default boolean samplesHolders() {
		return true;
	}

	@Override
	default Thread holderWaiter() {
		Waiter waiter = waiter();
		return (waiter != null) ? waiter.thread() : null;
	}

}
