package io.knocker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls open on one knocker ({@link MeasuredCall}s), and, where the door can tell,
 * how often each call's thread was found waiting at the door: at every knock the knock
 * loop {@link #look() looks} at the thread of each open call (at most
 * {@link #MAX_LOOKS_PER_KNOCK} a knock, in turn). A call's waited share is the looks that
 * found its thread waiting over the looks at it; with knocks at random (Poisson) moments,
 * an estimate of the share of its time it spent waiting.
 * <p>
 * Concurrency: calls open and close on the application's threads, the knock loop looks.
 * Calls sit in slots of segments that are only ever appended (the segment array is
 * copied, never the segments), so placing and clearing a slot is one CAS and a look never
 * misses a call that was open throughout it. A call's wait count and its closed and
 * cannot-tell flags share one atomic word: a look counted after the call closed is
 * refused, so a thread that has left a call is never counted in it. The loop allocates
 * nothing and takes no lock.
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

	private static final long LOOK = 1L << 31;

	private static final long WAITS = LOOK - 1;

	private static final int FIRST_SEGMENT = 8;

	private final Door.WaitingCheck check;

	private final int maxLooks;

	private final AtomicInteger count = new AtomicInteger();

	private final Object growMonitor = new Object();

	private volatile AtomicReferenceArray<Call>[] segments;

	/** Where the next look starts; the knock loop's own. */
	private int cursor;

	@SuppressWarnings("unchecked")
	OpenCalls(Door door) {
		this.check = door.waitingCheck();
		this.maxLooks = door.maxLooksPerKnock();
		this.segments = new AtomicReferenceArray[] { new AtomicReferenceArray<Call>(FIRST_SEGMENT) };
	}

	/** How many calls are open. */
	int count() {
		return this.count.get();
	}

	/**
	 * Opens a call on the thread; its {@link Call#first()} says whether none was open.
	 */
	Call open(Thread thread) {
		boolean first = this.count.getAndIncrement() == 0;
		Call call = new Call(thread, first);
		if (this.check != null) {
			place(call);
		}
		return call;
	}

	/**
	 * On the knock loop, at each knock: looks at the threads of the open calls, at most
	 * the door's {@link Door#maxLooksPerKnock()}, starting where the last look stopped.
	 */
	void look() {
		Door.WaitingCheck check = this.check;
		if (check == null || this.count.get() == 0) {
			return;
		}
		AtomicReferenceArray<Call>[] segments = this.segments;
		int slots = 0;
		for (AtomicReferenceArray<Call> segment : segments) {
			slots += segment.length();
		}
		int start = (this.cursor < slots) ? this.cursor : 0;
		int looked = 0;
		int i = 0;
		for (; i < slots && looked < this.maxLooks; i++) {
			int index = start + i;
			Call call = slotAt(segments, (index < slots) ? index : index - slots);
			if (call != null) {
				call.looked(check.isWaiting(call.thread));
				looked++;
			}
		}
		int next = start + i;
		this.cursor = (next < slots) ? next : next - slots;
	}

	private static Call slotAt(AtomicReferenceArray<Call>[] segments, int index) {
		for (AtomicReferenceArray<Call> segment : segments) {
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
			AtomicReferenceArray<Call>[] segments = this.segments;
			for (AtomicReferenceArray<Call> segment : segments) {
				int n = segment.length();
				for (int i = 0; i < n; i++) {
					int slot = (start + i) & (n - 1);
					if (segment.get(slot) == null && segment.compareAndSet(slot, null, call)) {
						call.segment = segment;
						call.slot = slot;
						return;
					}
				}
			}
			grow(segments);
		}
	}

	@SuppressWarnings("unchecked")
	private void grow(AtomicReferenceArray<Call>[] full) {
		// Only calls opening while every slot is taken come here; the loop never does.
		synchronized (this.growMonitor) {
			if (this.segments == full) {
				AtomicReferenceArray<Call>[] more = java.util.Arrays.copyOf(full, full.length + 1);
				more[full.length] = new AtomicReferenceArray<>(full[full.length - 1].length() * 2);
				this.segments = more;
			}
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

		private final boolean first;

		private transient AtomicReferenceArray<Call> segment;

		private int slot;

		Call(Thread thread, boolean first) {
			this.thread = thread;
			this.first = first;
		}

		/** Whether no other call was open when this one opened. */
		boolean first() {
			return this.first;
		}

		private void looked(Boolean waiting) {
			long delta = LOOK + ((waiting == Boolean.TRUE) ? 1 : 0);
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
			if (this.segment != null) {
				this.segment.set(this.slot, null);
			}
			long state = getAndUpdate((s) -> s | CLOSED);
			if ((state & CLOSED) == 0) {
				OpenCalls.this.count.decrementAndGet();
			}
		}

		/**
		 * The share of the looks at the call's thread that found it waiting, until it
		 * closed or until now; -1 when the door cannot tell or no look was made.
		 */
		double waited() {
			long state = get();
			long looks = (state & ~(CLOSED | CANNOT_TELL)) >>> 31;
			if (OpenCalls.this.check == null || (state & CANNOT_TELL) != 0 || looks == 0) {
				return -1;
			}
			return Math.min(1.0, (double) (state & WAITS) / looks);
		}

	}

}
