package io.knocker;

import java.util.concurrent.ThreadLocalRandom;

/**
 * gilknocker's cycle, shared by every knocker with the same intervals: a sampling window
 * with knocks at random (Poisson) moments, a polling interval apart on average, then a
 * sleep. At each knock time every member knocks, so a member's knocks stay Poisson (busy
 * knocks over knocks estimates the share of time its door is taken) while one wake-up
 * serves them all. Measured calls ride the cycle, as a chunk of code measured with
 * gilknocker does: an open {@link MeasuredCall} never cancels a sleep, so following calls
 * costs what the cycle costs however busy the application is. A sleeping interval of zero
 * skips the sleeps. Used by the knock loop's thread only, apart from the members array.
 */
final class Schedule {

	private static final Knocking[] NONE = {};

	private final long pollingNanos;

	private final long samplingNanos;

	private final long sleepingNanos;

	private volatile Knocking[] members = NONE;

	private boolean inWindow;

	private long windowEnd;

	private long sleepEnd;

	private long nextKnock;

	Schedule(KnockSettings settings) {
		this.pollingNanos = settings.pollingInterval().toNanos();
		this.samplingNanos = settings.samplingInterval().toNanos();
		this.sleepingNanos = settings.sleepingInterval().toNanos();
	}

	boolean fits(KnockSettings settings) {
		return this.pollingNanos == settings.pollingInterval().toNanos()
				&& this.samplingNanos == settings.samplingInterval().toNanos()
				&& this.sleepingNanos == settings.sleepingInterval().toNanos();
	}

	boolean isEmpty() {
		return this.members.length == 0;
	}

	/**
	 * Called under the loop's lifecycle monitor. A member whose knock is the loop's own
	 * lateness (the JVM door) goes first, so that its knock times the wake-up alone, not
	 * the other doors' knocks before it in the same pass (a holder sample, a thread
	 * started, which its windows would otherwise carry over the sleeps as starvation).
	 */
	void add(Knocking member) {
		Knocking[] members = new Knocking[this.members.length + 1];
		int offset = member.timesTheLoop() ? 1 : 0;
		System.arraycopy(this.members, 0, members, offset, this.members.length);
		members[member.timesTheLoop() ? 0 : members.length - 1] = member;
		this.members = members;
	}

	/** Called under the loop's lifecycle monitor. */
	void remove(Knocking member) {
		Knocking[] members = this.members;
		for (int i = 0; i < members.length; i++) {
			if (members[i] == member) {
				Knocking[] fewer = new Knocking[members.length - 1];
				System.arraycopy(members, 0, fewer, 0, i);
				System.arraycopy(members, i + 1, fewer, i, members.length - i - 1);
				this.members = fewer;
				return;
			}
		}
	}

	/**
	 * Does what is due at {@code now}: begins or ends the window, knocks.
	 * @return when something is next due
	 */
	long advance(long now) {
		Knocking[] members = this.members;
		if (!this.inWindow) {
			if (now - this.sleepEnd < 0 && !anyNew(members)) {
				return this.sleepEnd;
			}
			beginWindow(members, now);
		}
		for (Knocking member : members) {
			if (!member.inWindow()) {
				// Joined since the window began.
				member.windowBegan(now);
			}
		}
		if (now - this.nextKnock >= 0 && this.nextKnock - this.windowEnd <= 0) {
			for (Knocking member : members) {
				member.knock(this.nextKnock);
			}
			this.nextKnock += gap();
			// Knock times missed while the loop was late are skipped, for every member
			// alike.
			while (now - this.nextKnock >= 0) {
				this.nextKnock += gap();
			}
		}
		if (now - this.windowEnd >= 0) {
			for (Knocking member : members) {
				member.windowEnded(now);
			}
			if (this.sleepingNanos > 0) {
				this.inWindow = false;
				this.sleepEnd = now + this.sleepingNanos;
				return this.sleepEnd;
			}
			beginWindow(members, now);
		}
		return (this.nextKnock - this.windowEnd < 0) ? this.nextKnock : this.windowEnd;
	}

	private void beginWindow(Knocking[] members, long now) {
		this.inWindow = true;
		this.windowEnd = now + this.samplingNanos;
		this.nextKnock = now + gap();
		for (Knocking member : members) {
			member.windowBegan(now);
		}
	}

	private long gap() {
		return Math.max(1, (long) (-Math.log(1.0 - ThreadLocalRandom.current().nextDouble()) * this.pollingNanos));
	}

	private static boolean anyNew(Knocking[] members) {
		for (Knocking member : members) {
			if (member.isNew()) {
				return true;
			}
		}
		return false;
	}

}
