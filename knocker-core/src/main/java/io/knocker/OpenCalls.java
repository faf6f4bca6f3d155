package io.knocker;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls open on one knocker ({@link MeasuredCall}s), and, where the door can tell,
 * how often each call's thread was found waiting at the door: at every knock the knock
 * loop {@link #look() looks} at the thread of each open call (at most
 * {@link #MAX_LOOKS_PER_KNOCK} a knock, in turn). A call's waited share is the looks that
 * found its thread waiting over the looks at it; with knocks at random (Poisson) moments,
 * an estimate of the share of its time it spent waiting. A call with no one thread (one
 * measured to completion asynchronously) is counted but never placed or looked at.
 * <p>
 * Concurrency: calls open and close on the application's threads, the knock loop looks.
 * Calls sit in slots of segments; placing and clearing a slot is one CAS, and a look
 * never misses a call that was open throughout it. A call's look and wait counts and its
 * closed and cannot-tell flags share one atomic word: a look counted after the call
 * closed is refused, so a thread that has left a call is never counted in it. After a
 * burst the loop retires the emptied last segments, so that a look walks slots in
 * proportion to the calls open now; a call placed in a segment being retired sees its
 * flag and goes elsewhere. The loop allocates nothing and takes no lock, but for the rare
 * copy of the segment array when it retires one.
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

	private static final long LOOK = 1L << 31;

	private static final long WAITS = LOOK - 1;

	private static final int FIRST_SEGMENT = 8;

	/** How many looks pass between two tries at retiring the last segment. */
	private static final int RETIRE_EVERY = 64;

	private final Door.WaitingCheck check;

	private final BuiltInDoor builtIn;

	private final int maxLooks;

	/**
	 * Knocks that looked, whether or not a call was open: written by the knock loop
	 * alone.
	 */
	private long passes;

	/**
	 * The time one look stands for, as it came out over the last fifty cycles or so (a
	 * loaded machine wakes the loop late and skips knocks): a ratio of smoothed sums of
	 * wall time and knocks, never a mean of ratios. 0 before the first cycle ended.
	 */
	private volatile double nanosPerLook;

	private long cycleBegan;

	private long cycles;

	private long cyclePasses;

	private double smoothedWall;

	private double smoothedPasses;

	/** Calls placed in the slots. */
	private final AtomicInteger placed = new AtomicInteger();

	/** Calls open but not placed: no check, or no one thread. */
	private final AtomicInteger unplaced = new AtomicInteger();

	private final Object growMonitor = new Object();

	private volatile Segment[] segments = { new Segment(FIRST_SEGMENT) };

	/** Where the next look starts; the knock loop's own. */
	private int cursor;

	/** Looks since the last try at retiring a segment; the knock loop's own. */
	private int sinceRetire;

	OpenCalls(Door door) {
		this.check = door.waitingCheck();
		this.builtIn = BuiltInDoor.of(door);
		this.maxLooks = this.builtIn.maxLooksPerKnock();
	}

	/**
	 * The time one look at a call stands for, as measured over the last cycles; 0 before
	 * the first ended.
	 * @return nanoseconds
	 */
	double nanosPerLook() {
		return this.nanosPerLook;
	}

	/** On the knock loop, as a sampling window begins: a cycle ended. */
	void cycleBegan(long now) {
		if (this.cycleBegan != 0 && now > this.cycleBegan) {
			// A cycle whose window had no knock counts too: its time went unlooked at.
			// The
			// first cycles are averaged alike, then the older ones fade.
			double weight = Math.max(0.02, 1.0 / ++this.cycles);
			this.smoothedWall += weight * ((now - this.cycleBegan) - this.smoothedWall);
			this.smoothedPasses += weight * ((this.passes - this.cyclePasses) - this.smoothedPasses);
			if (this.smoothedPasses > 0) {
				this.nanosPerLook = this.smoothedWall / this.smoothedPasses;
			}
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
		return this.placed.get() + this.unplaced.get();
	}

	/** How many slots a look may walk: the test of the walk's bound. */
	int slots() {
		int slots = 0;
		for (Segment segment : this.segments) {
			slots += segment.length();
		}
		return slots;
	}

	/** Opens a call on the thread, to be looked at while it is open. */
	Call open(Thread thread) {
		if (this.check == null) {
			return openUnplaced();
		}
		Call call = new Call(thread, 0);
		this.placed.incrementAndGet();
		place(call);
		return call;
	}

	/** Opens a call on a door that cannot tell whether a thread waits at it. */
	private Call openUnplaced() {
		this.unplaced.incrementAndGet();
		return new Call(null, CANNOT_TELL);
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
	 * stopped, and stopping once it has seen as many as are open; none while the door
	 * {@link BuiltInDoor#tellsNow() cannot tell}.
	 */
	void look() {
		this.passes++;
		Door.WaitingCheck check = this.check;
		int open = (check != null) ? this.placed.get() : 0;
		if (open == 0 || !this.builtIn.tellsNow()) {
			// A door that cannot tell for now: no look, rather than one that guesses.
			return;
		}
		Segment[] segments = this.segments;
		int slots = 0;
		for (Segment segment : segments) {
			slots += segment.length();
		}
		int start = (this.cursor < slots) ? this.cursor : 0;
		int budget = Math.min(this.maxLooks, open);
		// With more calls open than a knock looks at, each look stands for the knocks
		// until the call's turn comes again.
		int stride = (open + this.maxLooks - 1) / this.maxLooks;
		int looked = 0;
		int i = 0;
		for (; i < slots && looked < budget; i++) {
			int index = start + i;
			Call call = slotAt(segments, (index < slots) ? index : index - slots);
			if (call != null) {
				call.looked(check.isWaiting(call.thread), stride);
				looked++;
			}
		}
		int next = start + i;
		this.cursor = (next < slots) ? next : next - slots;
		if (segments.length > 1 && ++this.sinceRetire >= RETIRE_EVERY) {
			this.sinceRetire = 0;
			retireLast(segments, slots, open);
		}
	}

	/**
	 * Drops the last segment when it is empty and the others have room for twice the
	 * calls open, so that after a burst the walk shrinks back to the calls open now.
	 */
	private void retireLast(Segment[] segments, int slots, int open) {
		Segment last = segments[segments.length - 1];
		if (2 * open > slots - last.length()) {
			return;
		}
		last.retired = true;
		if (!last.isEmpty()) {
			last.retired = false;
			return;
		}
		synchronized (this.growMonitor) {
			if (this.segments == segments) {
				this.segments = Arrays.copyOf(segments, segments.length - 1);
			}
			else {
				last.retired = false;
			}
		}
	}

	private static Call slotAt(Segment[] segments, int index) {
		for (Segment segment : segments) {
			if (index < segment.length()) {
				return segment.get(index);
			}
			index -= segment.length();
		}
		return null;
	}

	private void place(Call call) {
		int start = (int) call.thread.getId();
		while (true) {
			Segment[] segments = this.segments;
			for (Segment segment : segments) {
				int n = segment.length();
				for (int i = 0; i < n; i++) {
					int slot = (start + i) & (n - 1);
					if (segment.get(slot) == null && segment.compareAndSet(slot, null, call)) {
						if (segment.retired) {
							// The loop is dropping this segment: it may not see the call.
							segment.set(slot, null);
							break;
						}
						call.segment = segment;
						call.slot = slot;
						return;
					}
				}
			}
			grow(segments);
		}
	}

	private void grow(Segment[] full) {
		// Only calls opening while every slot is taken come here; the loop never does.
		synchronized (this.growMonitor) {
			if (this.segments == full) {
				Segment[] more = Arrays.copyOf(full, full.length + 1);
				more[full.length] = new Segment(full[full.length - 1].length() * 2);
				this.segments = more;
			}
		}
	}

	/** Slots for calls, a power of two of them. */
	private static final class Segment extends AtomicReferenceArray<Call> {

		private static final long serialVersionUID = 1L;

		/** Set by the loop while it drops the segment; a call placed in it moves. */
		volatile boolean retired;

		Segment(int length) {
			super(length);
		}

		boolean isEmpty() {
			for (int i = 0; i < length(); i++) {
				if (get(i) != null) {
					return false;
				}
			}
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

		/** Whether it is counted among the placed calls; changed by its own side only. */
		private boolean placedCall;

		private transient Segment segment;

		private int slot;

		Call(Thread thread, long state) {
			super(state);
			this.thread = thread;
			this.placedCall = thread != null;
		}

		private void looked(Boolean waiting, int stride) {
			long delta = (LOOK + ((waiting == Boolean.TRUE) ? 1 : 0)) * stride;
			while (true) {
				long state = get();
				if ((state & (CLOSED | CANNOT_TELL)) != 0) {
					return;
				}
				if (compareAndSet(state, (waiting != null) ? state + delta : state | CANNOT_TELL)) {
					return;
				}
			}
		}

		/** Closes the call; does nothing if it is closed. */
		void close() {
			leaveSlot();
			long state = getAndUpdate((s) -> s | CLOSED);
			if ((state & CLOSED) == 0) {
				(this.placedCall ? OpenCalls.this.placed : OpenCalls.this.unplaced).decrementAndGet();
			}
		}

		/**
		 * The call goes on off its thread: no look any more, and no waited figure. Before
		 * {@link #close()}, on the side that opened it.
		 */
		void detach() {
			leaveSlot();
			long state = getAndUpdate((s) -> s | CANNOT_TELL | DETACHED);
			if ((state & CLOSED) == 0 && this.placedCall) {
				this.placedCall = false;
				OpenCalls.this.unplaced.incrementAndGet();
				OpenCalls.this.placed.decrementAndGet();
			}
		}

		/** The time one look stands for on this call's door. */
		double nanosPerLook() {
			return OpenCalls.this.nanosPerLook();
		}

		/** Whether the door cannot tell, or could not for this call's thread. */
		boolean cannotTell() {
			return (get() & CANNOT_TELL) != 0;
		}

		/** Whether the call left its thread. */
		boolean detached() {
			return (get() & DETACHED) != 0;
		}

		private void leaveSlot() {
			Segment segment = this.segment;
			if (segment != null) {
				segment.set(this.slot, null);
				this.segment = null;
			}
		}

		/**
		 * The looks at the call's thread, until it closed or until now, each counted for
		 * the knocks it stands for; 0 when the door cannot tell.
		 */
		long looks() {
			long state = get();
			return ((state & CANNOT_TELL) != 0) ? 0 : (state & ~(CLOSED | CANNOT_TELL)) >>> 31;
		}

		/** The looks that found the call's thread waiting at the door. */
		long waits() {
			return get() & WAITS;
		}

	}

}
