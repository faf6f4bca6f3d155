package io.knocker;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls open on one knocker ({@link MeasuredCall}s), and, where the door can tell,
 * how often each call's thread was found waiting at the door: at every knock the knock
 * loop {@link #look() looks} at the threads of the open calls, at most the door's
 * {@link BuiltInDoor#maxLooksPerKnock()} a knock, the next ones in turn. A call's waited
 * share is the looks that found its thread waiting over the looks at it, each look
 * weighted by the knocks it stands for: with {@code open} calls and {@code budget} looks
 * a knock, a call is looked at {@code budget / open} times a knock, so each look stands
 * for exactly {@code open / budget} knocks (1 while a knock looks at every call), and the
 * sums over calls are unbiased at any number of open calls. Weights are kept exactly, in
 * units of {@code 1 / maxLooksPerKnock} of a knock. A call with no one thread (one
 * measured to completion asynchronously) is counted but never placed or looked at.
 * <p>
 * Concurrency: calls open and close on the application's threads, in O(1): each takes the
 * lowest free slot, so the slots in use stay packed below {@code top}, and a look walks
 * those alone; after a burst, {@code top} falls back as the calls close. Opening and
 * closing share a monitor of this object's own, held for a few field writes; the knock
 * loop never takes it: it reads the slots and {@code top} as they are, allocates nothing
 * and takes no lock. A call's look and wait counts and its closed and cannot-tell flags
 * share one atomic word: a look counted after the call closed is refused, so a thread
 * that has left a call is never counted in it.
 */
final class OpenCalls {

	/**
	 * Most calls looked at per knock, unless the door says fewer: with more open, each
	 * knock looks at the next ones in turn, whatever their threads are doing, so that a
	 * knock's cost stays bounded and the estimate unbiased.
	 */
	static final int MAX_LOOKS_PER_KNOCK = 32;

	private static final long CLOSED = 1L << 63;

	private static final long CANNOT_TELL = 1L << 62;

	/** The call left its thread (measured to completion asynchronously). */
	private static final long DETACHED = 1L << 61;

	/** Looks count in the bits above this, waits below it: 31 bits each. */
	private static final int LOOK_SHIFT = 31;

	private static final long WAITS = (1L << LOOK_SHIFT) - 1;

	/** Most looks a call counts, in units: the bits between the flags and the waits. */
	private static final long MAX_LOOKS = (1L << (61 - LOOK_SHIFT)) - 1;

	private static final int FIRST_SLOTS = 8;

	private final Door.WaitingCheck check;

	private final BuiltInDoor builtIn;

	/** Looks a knock takes at most; also the units of a knock that looks count in. */
	private final int maxLooks;

	/**
	 * Knocks that looked, whether or not a call was open: written by the knock loop
	 * alone.
	 */
	private long passes;

	/** The wall time one knock stands for, over the last cycles. */
	private final CycleRatio nanosPerKnock = new CycleRatio();

	private long cycleBegan;

	private long cyclePasses;

	/** Calls open but not placed: no check, or no one thread. */
	private final AtomicInteger unplaced = new AtomicInteger();

	/**
	 * Guards the writes to the slots, {@link #free}, {@link #top} and {@link #placed}.
	 */
	private final Object slotsMonitor = new Object();

	private volatile AtomicReferenceArray<Call> slots = new AtomicReferenceArray<>(FIRST_SLOTS);

	/** The free slots below {@link #top}. */
	private final BitSet free = new BitSet();

	/** No free slot lies below this. */
	private int lowestFree;

	/** One past the highest slot in use: a look walks the slots below. */
	private volatile int top;

	/** Calls placed in the slots. */
	private volatile int placed;

	/** Where the next look starts; the knock loop's own. */
	private int cursor;

	OpenCalls(Door door) {
		this.check = door.waitingCheck();
		this.builtIn = BuiltInDoor.of(door);
		this.maxLooks = this.builtIn.maxLooksPerKnock();
	}

	/**
	 * The time one knock stands for, as measured over the last cycles; 0 before the first
	 * ended.
	 * @return nanoseconds
	 */
	double nanosPerKnock() {
		return this.nanosPerKnock.ratio();
	}

	/** On the knock loop, as a sampling window begins: a cycle ended. */
	void cycleBegan(long now) {
		if (this.cycleBegan != 0 && now > this.cycleBegan) {
			// A cycle whose window had no knock counts too: its time went unlooked at.
			this.nanosPerKnock.cycle(now - this.cycleBegan, this.passes - this.cyclePasses);
		}
		this.cycleBegan = now;
		this.cyclePasses = this.passes;
	}

	/** Whether the door can tell whether a thread waits at it. */
	boolean tells() {
		return this.check != null;
	}

	/** How many calls are open. */
	int count() {
		return this.placed + this.unplaced.get();
	}

	/** How many slots a look may walk: the test of the walk's bound. */
	int slots() {
		return this.top;
	}

	/** Opens a call on the thread, to be looked at while it is open. */
	Call open(Thread thread) {
		if (this.check == null) {
			this.unplaced.incrementAndGet();
			return new Call(null, CANNOT_TELL);
		}
		Call call = new Call(thread, 0);
		synchronized (this.slotsMonitor) {
			AtomicReferenceArray<Call> slots = this.slots;
			int slot = this.free.nextSetBit(this.lowestFree);
			if (slot >= 0) {
				this.free.clear(slot);
				this.lowestFree = slot + 1;
			}
			else {
				slot = this.top;
				this.lowestFree = slot + 1;
				if (slot == slots.length()) {
					slots = grown(slots);
				}
				this.top = slot + 1;
			}
			call.slot = slot;
			slots.set(slot, call);
			this.placed++;
		}
		return call;
	}

	/** A copy of the slots twice as long, put in their place; under the monitor. */
	private AtomicReferenceArray<Call> grown(AtomicReferenceArray<Call> slots) {
		AtomicReferenceArray<Call> more = new AtomicReferenceArray<>(slots.length() * 2);
		for (int i = 0; i < slots.length(); i++) {
			more.set(i, slots.get(i));
		}
		this.slots = more;
		return more;
	}

	/**
	 * Opens a call that no one thread carries (measured to completion asynchronously): it
	 * has no waited figure, so it takes no slot and no look.
	 */
	Call openDetached() {
		this.unplaced.incrementAndGet();
		return new Call(null, CANNOT_TELL | DETACHED);
	}

	/**
	 * On the knock loop, at each knock: looks at the threads of the open calls, at most
	 * the door's {@link BuiltInDoor#maxLooksPerKnock()}, starting where the last look
	 * stopped, each look weighted by the knocks it stands for; none while the door
	 * {@link BuiltInDoor#tellsNow() cannot tell}.
	 */
	void look() {
		this.passes++;
		Door.WaitingCheck check = this.check;
		int open = (check != null) ? this.placed : 0;
		if (open == 0 || !this.builtIn.tellsNow()) {
			// A door that cannot tell for now: no look, rather than one that guesses.
			return;
		}
		AtomicReferenceArray<Call> slots = this.slots;
		int top = Math.min(this.top, slots.length());
		int budget = Math.min(this.maxLooks, open);
		// In units of 1 / maxLooks of a knock: open / budget knocks.
		long weight = Math.max(this.maxLooks, open);
		int index = (this.cursor < top) ? this.cursor : 0;
		int looked = 0;
		for (int walked = 0; walked < top && looked < budget; walked++) {
			Call call = slots.get(index);
			if (++index == top) {
				index = 0;
			}
			if (call != null) {
				call.looked(isWaiting(check, call.thread), weight);
				looked++;
			}
		}
		this.cursor = index;
	}

	/** The check's answer; a check that throws cannot tell, and the knock goes on. */
	private static Boolean isWaiting(Door.WaitingCheck check, Thread thread) {
		try {
			return check.isWaiting(thread);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Takes the call out of its slot, if it has one; under no monitor but this object's
	 * own.
	 * @return whether it had one
	 */
	private boolean leave(Call call) {
		synchronized (this.slotsMonitor) {
			int slot = call.slot;
			if (slot < 0) {
				return false;
			}
			call.slot = -1;
			this.placed--;
			this.slots.set(slot, null);
			if (slot == this.top - 1) {
				int top = slot;
				while (top > 0 && this.free.get(top - 1)) {
					this.free.clear(--top);
				}
				this.top = top;
			}
			else {
				this.free.set(slot);
			}
			this.lowestFree = Math.min(this.lowestFree, slot);
			return true;
		}
	}

	/**
	 * One open call: its thread, and how often it was looked at and found waiting. Looks,
	 * waits and the closed and cannot-tell flags share one word, so a look is one CAS and
	 * none counts once the call has closed.
	 */
	final class Call extends AtomicLong {

		private static final long serialVersionUID = 1L;

		private final transient Thread thread;

		/** Its slot while placed, else -1; under the slots' monitor. */
		private int slot = -1;

		Call(Thread thread, long state) {
			super(state);
			this.thread = thread;
		}

		private void looked(Boolean waiting, long weight) {
			long delta = (weight << LOOK_SHIFT) + ((waiting == Boolean.TRUE) ? weight : 0);
			while (true) {
				long state = get();
				if ((state & (CLOSED | CANNOT_TELL)) != 0) {
					return;
				}
				long looks = (state & ~(CLOSED | CANNOT_TELL | DETACHED)) >>> LOOK_SHIFT;
				if (waiting != null && looks + weight > MAX_LOOKS) {
					// Billions of knocks: the figure so far stands.
					return;
				}
				if (compareAndSet(state, (waiting != null) ? state + delta : state | CANNOT_TELL)) {
					return;
				}
			}
		}

		/** Closes the call; does nothing if it is closed. */
		void close() {
			long state = getAndUpdate((s) -> s | CLOSED);
			if ((state & CLOSED) != 0) {
				return;
			}
			if (this.thread == null || !leave(this)) {
				// Never placed, or detached since.
				OpenCalls.this.unplaced.decrementAndGet();
			}
		}

		/**
		 * The call goes on off its thread: no look any more, and no waited figure. Before
		 * {@link #close()}, on the side that opened it.
		 */
		void detach() {
			long state = getAndUpdate((s) -> s | CANNOT_TELL | DETACHED);
			if ((state & (CLOSED | DETACHED)) == 0 && this.thread != null && leave(this)) {
				OpenCalls.this.unplaced.incrementAndGet();
			}
		}

		/** The time one knock stands for on this call's door. */
		double nanosPerKnock() {
			return OpenCalls.this.nanosPerKnock();
		}

		/** Whether the door cannot tell, or could not for this call's thread. */
		boolean cannotTell() {
			return (get() & CANNOT_TELL) != 0;
		}

		/** Whether the call left its thread. */
		boolean detached() {
			return (get() & DETACHED) != 0;
		}

		/**
		 * The looks at the call's thread, until it closed or until now, in units of
		 * {@link #unitsPerKnock()}: the knocks they stand for; 0 when the door cannot
		 * tell.
		 */
		long looks() {
			long state = get();
			return ((state & CANNOT_TELL) != 0) ? 0 : (state & ~(CLOSED | CANNOT_TELL | DETACHED)) >>> LOOK_SHIFT;
		}

		/** The looks that found the call's thread waiting, in the same units. */
		long waits() {
			return get() & WAITS;
		}

		/** How many units of {@link #looks()} and {@link #waits()} make one knock. */
		int unitsPerKnock() {
			return OpenCalls.this.maxLooks;
		}

	}

}
