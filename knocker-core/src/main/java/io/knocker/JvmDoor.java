package io.knocker;

import java.util.function.LongSupplier;

/**
 * The JVM itself. In a sampling window each knock is the knock loop's own wake-up: how
 * late it got to run after a park, less the timer's idle lateness (as jHiccup does).
 * Between windows the loop sleeps like for every door, and the JVM's own record of its
 * stop-the-world pauses ({@link GcPauses}) covers that time.
 * <p>
 * Accounting, per window and per sleep, each pause counted once: a window books the
 * lateness of its knocks, plus whatever the JVM reports as paused in it beyond that
 * lateness (a pause can fall while the loop is between parks); the lateness beyond the
 * window's pauses is CPU starvation, and its rate over the window's unpaused time,
 * smoothed over the last few windows, is the estimate for the next sleep. A sleep books
 * the pauses reported during it, whole, plus that starvation rate over its unpaused time.
 * A pause across a boundary is reported when it ends, so it falls in exactly one of the
 * two.
 * <p>
 * What idleness looks like is kept out. A timer wakes an idle JVM late now and then (on a
 * virtual machine whose idle CPU is halted, by milliseconds one wake-up in a hundred),
 * and carried over a sleep ten times the window, such hiccups read several percent at
 * rest. So a knock counts as held up only past the top of the timer's idle noise (the
 * 90th percentile of its lateness, {@link Baseline#noiseNanos()}); a window is starved
 * only when at least {@value #HELD_UP_KNOCKS} of its knocks were held up; and its
 * starvation is carried over the sleeps only after {@value #STARVED_WINDOWS} starved
 * windows in a row. In a window after a calm one, held-up knocks book nothing until the
 * window is starved (then all together): an idle machine's hiccups come alone. After a
 * window with a held-up knock, each books as it comes: on a loaded machine a waking
 * thread mostly preempts the busy ones, so starvation shows as a late knock or two in
 * most windows, which a per-window count alone would drop (the sample app under eight
 * curl loops: its requests' CPU wait read 0.09-0.12 so, 0.22-0.27 either way else). A
 * knock held up by a stall longer than an idle timer's hiccup ever is
 * ({@link #STALL_NANOS}) books whatever its window saw. Sustained starvation passes the
 * gates within a few cycles; one hiccup, or the slow knocks after a long pause (which the
 * pause already covers), passes none.
 */
final class JvmDoor extends Door implements BuiltInDoor, Knocking.Windows {

	/**
	 * Lateness beyond this is never the timer's idle noise, so the baseline ignores it.
	 */
	private static final long MIN_BASELINE_CEILING_NANOS = 1_000_000;

	/** Knocks held up in one window for it to count as starved. */
	static final int HELD_UP_KNOCKS = 3;

	/**
	 * Lateness that no idle wake-up shows, counted alone: this VM's idle timer is late by
	 * 5-7 ms at worst (benchmarks/results/jvm-door.md).
	 */
	static final long STALL_NANOS = 10_000_000;

	/** Starved windows in a row before starvation is carried over the sleeps. */
	static final int STARVED_WINDOWS = 2;

	/** Weight of the last window in the starvation rate carried over the sleeps. */
	private static final double SMOOTHING = 0.25;

	private final GcPauses pauses;

	/** {@link System#nanoTime()}, or a test's clock. */
	private final LongSupplier clock;

	private Baseline baseline;

	private long lateNanos;

	private long pauseNanosMark;

	private long pausesMark;

	private long boundary;

	private long windowStart;

	private boolean windowed;

	private double starvationRate;

	private boolean rated;

	private int heldUp;

	/** Lateness of the window's held-up knocks not booked yet: too few so far. */
	private long heldBackNanos;

	/** Knocks held back, then booked: busy, counted when the window ends. */
	private int heldBack;

	private int bookedLate;

	/** Whether the last window had a held-up knock: the lateness goes on. */
	private boolean heldUpBefore;

	private int starvedWindows;

	JvmDoor() {
		this(GcPauses.THIS_JVM);
	}

	JvmDoor(GcPauses pauses) {
		this(pauses, System::nanoTime);
	}

	JvmDoor(GcPauses pauses, LongSupplier clock) {
		super("jvm");
		this.pauses = pauses;
		this.clock = clock;
	}

	@Override
	protected void opened(Knock knock) {
		this.baseline = new Baseline(Math.max(knock.pollingNanos(), MIN_BASELINE_CEILING_NANOS));
		this.windowed = false;
		this.starvationRate = 0;
		this.rated = false;
		this.starvedWindows = 0;
		this.heldUpBefore = false;
	}

	@Override
	protected void knock(Knock knock) {
		// Timed from when the loop could have woken: the due time, or, when the loop's
		// own work (other doors' knocks) ran past it, the end of that work.
		long due = knock.dueNanos();
		long now = this.clock.getAsLong();
		long late = now - due;
		long baseline = this.baseline.nanos();
		if (late > this.baseline.noiseNanos()) {
			// Past the timer's usual lateness: time the JVM held us up, once enough of
			// the window's knocks agree (or a stall says so alone).
			long held = late - baseline;
			this.heldUp++;
			if (!this.heldUpBefore && this.heldUp < HELD_UP_KNOCKS && late < STALL_NANOS) {
				this.heldBackNanos += held;
				this.heldBack++;
				knock.gotThrough(true);
			}
			else {
				long booked = held;
				if (this.heldUp >= HELD_UP_KNOCKS) {
					booked += this.heldBackNanos;
					this.bookedLate += this.heldBack;
					this.heldBackNanos = 0;
					this.heldBack = 0;
				}
				this.lateNanos += booked;
				knock.waitingSince(now - booked, baseline);
				knock.gotThrough(false);
			}
		}
		else {
			knock.gotThrough(true);
		}
		this.baseline.observe(late);
	}

	@Override
	public Knocking.Windows windows() {
		return this;
	}

	@Override
	public boolean countsGcPauses() {
		return true;
	}

	@Override
	public void began(Knocking knock, long now) {
		long pauseNanos = this.pauses.nanos();
		long pauses = this.pauses.count();
		if (this.windowed) {
			long paused = pauseNanos - this.pauseNanosMark;
			long unpaused = Math.max(0, now - this.boundary - paused);
			double rate = (this.starvedWindows >= STARVED_WINDOWS) ? this.starvationRate : 0.0;
			knock.contended(paused + (long) (rate * unpaused), paused, pauses - this.pausesMark);
		}
		this.pauseNanosMark = pauseNanos;
		this.pausesMark = pauses;
		this.lateNanos = 0;
		this.heldUp = 0;
		this.heldBackNanos = 0;
		this.heldBack = 0;
		this.bookedLate = 0;
		this.windowStart = now;
		this.windowed = true;
	}

	@Override
	public void ended(Knocking knock, long now) {
		long pauseNanos = this.pauses.nanos();
		long pauses = this.pauses.count();
		long paused = pauseNanos - this.pauseNanosMark;
		boolean starvedWindow = this.heldUp >= HELD_UP_KNOCKS;
		this.heldUpBefore = this.heldUp > 0;
		this.starvedWindows = starvedWindow ? this.starvedWindows + 1 : 0;
		long starved = starvedWindow ? Math.max(0, this.lateNanos - paused) : 0;
		long unpaused = now - this.windowStart - paused;
		double windowRate = (unpaused > 0) ? Math.min(1.0, (double) starved / unpaused) : 0.0;
		// Smoothed over the last windows: one late knock in a 10 ms window would
		// otherwise be carried over the whole 100 ms sleep. The mean is kept; onset shows
		// within a few cycles.
		this.starvationRate = this.rated ? this.starvationRate + SMOOTHING * (windowRate - this.starvationRate)
				: windowRate;
		this.rated = true;
		knock.contended(Math.max(0, paused - this.lateNanos), paused, pauses - this.pausesMark);
		knock.heldUp(this.bookedLate);
		this.pauseNanosMark = pauseNanos;
		this.pausesMark = pauses;
		this.boundary = now;
	}

}
