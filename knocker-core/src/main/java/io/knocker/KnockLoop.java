package io.knocker;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that knocks every door of the JVM, named {@code knocker}: it wakes when
 * a {@link Schedule} has something due, knocks every door that is due, and parks again.
 * It runs while any knocker runs and ends when the last one stops. Doors never block it
 * (see {@link Door#knock}), so a stuck door never delays the others' knocks.
 */
final class KnockLoop implements Runnable {

	static final KnockLoop SHARED = new KnockLoop();

	private static final System.Logger logger = System.getLogger(KnockKnock.class.getName());

	/** The longest park, so that a loop with nothing due still notices it should end. */
	private static final long MAX_PARK_NANOS = 1_000_000_000L;

	private final Object monitor = new Object();

	private volatile Schedule[] schedules = new Schedule[0];

	private volatile Thread thread;

	/** Odd while the loop is knocking, even while it parks. */
	private volatile long passes;

	/** When the last pass ended; the loop's own. */
	private long freeSince;

	private KnockLoop() {
	}

	void join(Knocking member) {
		synchronized (this.monitor) {
			Schedule schedule = null;
			for (Schedule candidate : this.schedules) {
				if (candidate.fits(member.settings())) {
					schedule = candidate;
				}
			}
			List<Schedule> schedules = new ArrayList<>(List.of(this.schedules));
			if (schedule == null) {
				schedule = new Schedule(member.settings());
				schedules.add(schedule);
			}
			if (member.timesTheLoop()) {
				// The schedule of a door whose knock is the loop's own lateness goes
				// first in each pass, as that door goes first in its schedule: otherwise
				// the other schedules' knocks before it would read as the JVM holding the
				// loop up.
				schedules.remove(schedule);
				schedules.add(0, schedule);
			}
			this.schedules = schedules.toArray(new Schedule[0]);
			schedule.add(member);
			if (this.thread == null) {
				Thread thread = new Thread(this, "knocker");
				thread.setDaemon(true);
				this.thread = thread;
				thread.start();
			}
			else {
				wake();
			}
		}
	}

	/**
	 * Takes the knocker off the schedules and waits, at most until the deadline, for a
	 * pass of the loop under way to end, so that nothing knocks the door once this
	 * returns.
	 */
	void leave(Knocking member, long deadlineNanos) {
		long passes;
		synchronized (this.monitor) {
			List<Schedule> remaining = new ArrayList<>();
			for (Schedule schedule : this.schedules) {
				schedule.remove(member);
				if (!schedule.isEmpty()) {
					remaining.add(schedule);
				}
			}
			this.schedules = remaining.toArray(new Schedule[0]);
			passes = this.passes;
		}
		if ((passes & 1) == 1 && Thread.currentThread() != this.thread) {
			while (this.passes == passes && deadlineNanos - System.nanoTime() > 0) {
				Thread.onSpinWait();
				Thread.yield();
			}
		}
		wake();
	}

	/**
	 * Wakes the loop early, so that it looks at its schedules again (a knocker joined or
	 * left).
	 */
	void wake() {
		Thread thread = this.thread;
		if (thread != null) {
			LockSupport.unpark(thread);
		}
	}

	/**
	 * When the loop last finished a pass and could park, on the loop's thread: a knock
	 * due before it was held up by the loop's own work (other doors' knocks), not by the
	 * JVM.
	 */
	long freeSince() {
		return this.freeSince;
	}

	@Override
	public void run() {
		while (true) {
			Schedule[] schedules = this.schedules;
			if (schedules.length == 0) {
				synchronized (this.monitor) {
					if (this.schedules.length == 0) {
						this.thread = null;
						return;
					}
				}
				continue;
			}
			this.passes++;
			long now = System.nanoTime();
			long next = now + MAX_PARK_NANOS;
			for (Schedule schedule : schedules) {
				long due = advance(schedule, now);
				if (due - next < 0) {
					next = due;
				}
			}
			this.passes++;
			this.freeSince = System.nanoTime();
			long left = next - this.freeSince;
			if (left > 0) {
				LockSupport.parkNanos(this, left);
			}
			// Nobody may interrupt the shared loop; a stray interrupt must not make parks
			// return at once.
			Thread.interrupted();
		}
	}

	private static long advance(Schedule schedule, long now) {
		try {
			return schedule.advance(now);
		}
		catch (RuntimeException | Error ex) {
			logger.log(Level.ERROR, "Knock loop failed; it carries on", ex);
			return now + MAX_PARK_NANOS;
		}
	}

}
