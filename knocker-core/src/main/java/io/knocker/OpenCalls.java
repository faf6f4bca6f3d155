package io.knocker;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls open on one knocker ({@link KnockWindow}s), and, where the door can tell, how
 * often each call's thread was found waiting at the door: at every knock the knock loop
 * {@link #look() looks} at the thread of each open call. A call's waited share is the
 * looks that found its thread waiting over the looks made while it was open; with knocks
 * at random (Poisson) moments, an estimate of the share of its time it spent waiting.
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

	private static final int CLOSED = 1 << 31;

	private static final int CANNOT_TELL = 1 << 30;

	private static final int WAITS = CANNOT_TELL - 1;

	private static final int FIRST_SEGMENT = 8;

	private final Door.WaitingCheck check;

	private final AtomicInteger count = new AtomicInteger();

	private final Object growMonitor = new Object();

	private volatile AtomicReferenceArray<Call>[] segments;

	/** Looks made, ever; written by the knock loop only. */
	private volatile long looks;

	@SuppressWarnings("unchecked")
	OpenCalls(Door door) {
		this.check = door.waitingCheck();
		this.segments = new AtomicReferenceArray[] { new AtomicReferenceArray<Call>(FIRST_SEGMENT) };
	}

	/** Whether the door tells whether a thread waits at it. */
	boolean tellsWaiting() {
		return this.check != null;
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
			// Read after the call is in its slot: every look from this one on can see it.
			call.looksAtOpen = this.looks;
		}
		return call;
	}

	/** On the knock loop, at each knock: looks at every open call's thread. */
	void look() {
		Door.WaitingCheck check = this.check;
		if (check == null) {
			return;
		}
		this.looks++;
		if (this.count.get() == 0) {
			return;
		}
		for (AtomicReferenceArray<Call> segment : this.segments) {
			for (int i = 0, n = segment.length(); i < n; i++) {
				Call call = segment.get(i);
				if (call != null) {
					call.looked(check.isWaiting(call.thread));
				}
			}
		}
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

	/** One open call: its thread, and how often a look found it waiting. */
	final class Call extends AtomicInteger {

		private static final long serialVersionUID = 1L;

		private final transient Thread thread;

		private final boolean first;

		private transient AtomicReferenceArray<Call> segment;

		private int slot;

		private volatile long looksAtOpen;

		private volatile long looksAtClose = -1;

		Call(Thread thread, boolean first) {
			this.thread = thread;
			this.first = first;
		}

		/** Whether no other call was open when this one opened. */
		boolean first() {
			return this.first;
		}

		private void looked(Boolean waiting) {
			if (waiting == Boolean.FALSE) {
				return;
			}
			int flag = (waiting == null) ? CANNOT_TELL : 0;
			int delta = (waiting == null) ? 0 : 1;
			while (true) {
				int state = get();
				if ((state & CLOSED) != 0 || (state & CANNOT_TELL) != 0) {
					return;
				}
				if (compareAndSet(state, (state | flag) + delta)) {
					return;
				}
			}
		}

		/** Closes the call; does nothing if it is closed. */
		void close() {
			if (this.segment != null) {
				this.segment.set(this.slot, null);
			}
			int state = getAndUpdate((s) -> s | CLOSED);
			if ((state & CLOSED) == 0) {
				this.looksAtClose = OpenCalls.this.looks;
				OpenCalls.this.count.decrementAndGet();
			}
		}

		/**
		 * The share of the looks at the call's thread that found it waiting, until it
		 * closed or until now; -1 when the door cannot tell or no look was made.
		 */
		double waited() {
			int state = get();
			long end = (this.looksAtClose >= 0) ? this.looksAtClose : OpenCalls.this.looks;
			long looks = end - this.looksAtOpen;
			if (OpenCalls.this.check == null || (state & CANNOT_TELL) != 0 || looks <= 0) {
				return -1;
			}
			return Math.min(1.0, (double) (state & WAITS) / looks);
		}

	}

}
