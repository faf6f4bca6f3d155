package io.knocker;

import java.lang.System.Logger.Level;
import java.util.List;

/**
 * One start of a {@link KnockKnock} on the knock loop: its door, its generation of the
 * ledger, and whether a knock is still under way. The loop's {@link Schedule} says when
 * to knock and when windows begin and end; this books it. It receives all it needs from
 * the knocker that starts it, and never calls back.
 */
final class Knocking implements Door.Knock {

	private static final System.Logger logger = System.getLogger(KnockKnock.class.getName());

	private final KnockSettings settings;

	private final Door door;

	private final Ledger ledger;

	private final long generation;

	private final long pollingNanos;

	private final OpenCalls calls;

	/** Who holds the door when a knock finds it busy; {@code null} for none. */
	private final Holders holders;

	private final Failures failures;

	private final Windows windows;

	private volatile boolean pending;

	private boolean inWindow;

	private boolean sampledOnce;

	private long due;

	private WindowEvent windowEvent;

	private KnockSnapshot windowStart;

	Knocking(KnockSettings settings, Door door, Ledger ledger, OpenCalls calls, Holders holders, Failures failures) {
		this.settings = settings;
		this.door = door;
		this.ledger = ledger;
		this.generation = ledger.generation();
		this.pollingNanos = settings.pollingInterval().toNanos();
		this.calls = calls;
		this.holders = holders;
		this.failures = failures;
		this.windows = BuiltInDoor.of(door).windows();
		// Loads what the first window's JFR check needs here, on the thread that starts
		// the knocker: on the knock loop it would read as milliseconds of lateness.
		WindowEvent.isRecorded();
	}

	long generation() {
		return this.generation;
	}

	KnockSettings settings() {
		return this.settings;
	}

	/** Whether the door's knock is the loop's own lateness: the JVM door's. */
	boolean timesTheLoop() {
		return this.windows != null;
	}

	boolean inWindow() {
		return this.inWindow;
	}

	/**
	 * Whether this start has yet to sample: it should not wait out a sleep of the
	 * others'.
	 */
	boolean isNew() {
		return !this.sampledOnce;
	}

	void windowBegan(long now) {
		// The door books what it accounts for up to now (the JVM door: the sleep's
		// pauses) before the window starts, so that the window's own figures hold only
		// the window.
		if (this.windows != null) {
			this.windows.began(this, now);
		}
		this.calls.cycleBegan(now);
		if (this.ledger.beginWindow(this.generation)) {
			this.inWindow = true;
			this.sampledOnce = true;
			if (WindowEvent.isRecorded()) {
				// Only while a recording wants it: the knock loop allocates nothing
				// otherwise.
				this.windowEvent = new WindowEvent();
				this.windowStart = this.ledger.snapshot();
				this.windowEvent.begin();
			}
		}
	}

	void windowEnded(long now) {
		if (this.inWindow) {
			this.inWindow = false;
			if (this.windows != null) {
				this.windows.ended(this, now);
			}
			this.ledger.endWindow(this.generation, this.windows != null);
			WindowEvent event = this.windowEvent;
			if (event != null) {
				this.windowEvent = null;
				event.end();
				if (event.shouldCommit()) {
					KnockSnapshot end = this.ledger.snapshot();
					event.door = this.settings.name();
					event.contention = end.contentionSince(this.windowStart);
					event.busyRatio = end.busyRatioSince(this.windowStart);
					event.commit();
				}
			}
		}
	}

	/**
	 * Knocks, due at {@code due}; if the last knock still waits, this one finds the door
	 * busy.
	 */
	void knock(long due) {
		if (!this.inWindow) {
			return;
		}
		this.calls.look();
		if (this.pending) {
			this.ledger.missed(this.generation);
			sampleHolder();
			return;
		}
		// A knock due while the loop was busy with other doors' knocks could not start
		// before that work ended.
		this.due = Math.max(due, KnockLoop.SHARED.freeSince());
		this.pending = true;
		try {
			this.door.knock(this);
		}
		catch (RuntimeException | Error ex) {
			failed(ex);
		}
	}

	private void sampleHolder() {
		Holders holders = this.holders;
		Thread waiter = (holders != null) ? BuiltInDoor.of(this.door).holderWaiter() : null;
		if (waiter != null) {
			List<String> site = holders.sample(waiter, BuiltInDoor.of(this.door).holderLock(), System.nanoTime());
			if (site != null && HolderSampleEvent.isRecorded()) {
				HolderSampleEvent event = new HolderSampleEvent();
				event.door = this.settings.name();
				event.thread = holders.lastThread();
				event.topFrame = site.get(0);
				event.commit();
			}
		}
	}

	@Override
	public String name() {
		return this.settings.name();
	}

	@Override
	public long pollingNanos() {
		return this.pollingNanos;
	}

	@Override
	public long dueNanos() {
		return this.due;
	}

	@Override
	public void waitingSince(long nanoTime, long busyThresholdNanos) {
		this.ledger.waitingSince(this.generation, nanoTime, busyThresholdNanos);
	}

	@Override
	public void gotThrough(boolean straightThrough) {
		this.ledger.knocked(this.generation, straightThrough, false);
		this.pending = false;
	}

	@Override
	public void failed(Throwable failure) {
		// A failure is no wait: booked as such before the first one is logged, which
		// takes a while.
		this.ledger.knocked(this.generation, true, true);
		this.failures.failed(this.settings.name(), this.door, failure);
		this.pending = false;
	}

	/**
	 * Books time contended outside the knocks (the JVM door's pauses and the starvation
	 * of its sleeps), of which {@code gcPauseNanos} in {@code gcPauses} stop-the-world
	 * pauses.
	 */
	void contended(long nanos, long gcPauseNanos, long gcPauses) {
		this.ledger.contended(this.generation, nanos, gcPauseNanos, gcPauses);
	}

	/**
	 * Counts as busy {@code knocks} knocks already booked as straight through: the JVM
	 * door's held-up knocks it booked late, once their window turned out starved.
	 */
	void heldUp(int knocks) {
		if (knocks > 0) {
			this.ledger.busy(this.generation, knocks);
		}
	}

	/**
	 * What a door that accounts for the sleeps between windows too (the JVM door) does as
	 * windows begin and end, on the knock loop.
	 */
	interface Windows {

		/**
		 * A sampling window begins: the door books what it accounts for up to now.
		 */
		void began(Knocking knocking, long now);

		/**
		 * A sampling window ends, before the window's figures are booked.
		 */
		void ended(Knocking knocking, long now);

	}

	/** A knocker's failed knocks, logged once for all its starts. */
	static final class Failures {

		private volatile boolean logged;

		void failed(String name, Door door, Throwable ex) {
			if (!this.logged) {
				this.logged = true;
				logger.log(Level.WARNING, "Knocker '" + name + "' failed to knock on the " + door
						+ "; it carries on and counts failed knocks", ex);
			}
		}

	}

}
