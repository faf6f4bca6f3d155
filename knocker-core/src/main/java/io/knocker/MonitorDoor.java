package io.knocker;

/**
 * A plain object's monitor: a knock is {@code synchronized (monitor) {}}. A monitor has no
 * try-enter, so a knock counts as busy when entering took longer than an uncontended enter ever
 * does. Entering a monitor cannot be interrupted: a knock stuck on a monitor held forever stays
 * stuck, though {@link KnockKnock#stop()} still returns within its timeout.
 */
final class MonitorDoor extends Door {

	/** An uncontended enter takes tens of nanoseconds; a contended one at least microseconds. */
	static final long UNCONTENDED_ENTER_NANOS = 2_000;

	private final Object monitor;

	MonitorDoor(Object monitor) {
		super("monitor");
		this.monitor = monitor;
	}

	@Override
	void knock(Knock knock) {
		knock.busySince(System.nanoTime() + UNCONTENDED_ENTER_NANOS);
		synchronized (this.monitor) {
			// Getting in is the whole knock.
		}
	}

}
