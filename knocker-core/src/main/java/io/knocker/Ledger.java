package io.knocker;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A knocker's counters, written by its knock loop and read by anyone without blocking: a sequence
 * lock. Readers retry while a write is under way; writes are a handful of field stores. The knock
 * still waiting and the window still open count up to the moment of reading, so a stuck door reads
 * as stuck, and every write takes its time stamp inside the write so that the counters never go
 * back. Each knock loop thread writes under a generation; once a generation is retired, whatever
 * its thread still tries to write is refused, so a thread stuck past {@code stop()} never touches
 * the counters of the next start.
 */
final class Ledger {

	private final AtomicLong version = new AtomicLong();

	private volatile long generation;

	private volatile long knocks;

	private volatile long busyKnocks;

	private volatile long failedKnocks;

	private volatile long contendedNanos;

	private volatile long sampledNanos;

	private volatile boolean waiting;

	private volatile long waitingSince;

	private volatile long busyThresholdNanos;

	private volatile boolean sampling;

	private volatile long sampledUntil;

	private volatile long windowContendedStart;

	private volatile long windowSampledStart;

	private volatile double lastWindowContention;

	long generation() {
		return this.generation;
	}

	long failedKnocks() {
		return this.failedKnocks;
	}

	double lastWindowContention() {
		return this.lastWindowContention;
	}

	KnockSnapshot snapshot() {
		for (int spins = 0;; spins++) {
			long before = this.version.get();
			if ((before & 1) == 0) {
				long knocks = this.knocks;
				long busyKnocks = this.busyKnocks;
				long contended = this.contendedNanos;
				long sampled = this.sampledNanos;
				boolean waiting = this.waiting;
				long waitingSince = this.waitingSince;
				long busyThreshold = this.busyThresholdNanos;
				boolean sampling = this.sampling;
				long sampledUntil = this.sampledUntil;
				long now = System.nanoTime();
				if (this.version.get() == before) {
					if (waiting && now > waitingSince) {
						contended += now - waitingSince;
						// The knock under way is one knock, and a busy one once it has waited long enough.
						knocks++;
						if (now - waitingSince > busyThreshold) {
							busyKnocks++;
						}
					}
					if (sampling && now > sampledUntil) {
						sampled += now - sampledUntil;
					}
					return new KnockSnapshot(knocks, busyKnocks, contended, sampled);
				}
			}
			if (spins < 100) {
				Thread.onSpinWait();
			}
			else {
				Thread.yield();
			}
		}
	}

	/** Starts a sampling window. */
	boolean beginWindow(long generation) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return false;
			}
			long now = System.nanoTime();
			this.sampling = true;
			this.sampledUntil = now;
			this.windowContendedStart = this.contendedNanos;
			this.windowSampledStart = this.sampledNanos;
			return true;
		}
		finally {
			endWrite(odd);
		}
	}

	/**
	 * The knock in progress waits from {@code nanoTime} on; it is busy if it waits longer than
	 * {@code busyThresholdNanos}.
	 */
	boolean busySince(long generation, long nanoTime, long busyThresholdNanos) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return false;
			}
			this.waiting = true;
			this.waitingSince = nanoTime;
			this.busyThresholdNanos = busyThresholdNanos;
			return true;
		}
		finally {
			endWrite(odd);
		}
	}

	/**
	 * Books the knock that just got through (or failed). A knock that got straight through waited
	 * nothing. A busy knock also stands for the {@code missedKnocks} that were due while it waited:
	 * they would have found the door busy too.
	 */
	boolean knocked(long generation, boolean straightThrough, int missedKnocks, boolean failed) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return false;
			}
			if (straightThrough) {
				this.waiting = false;
			}
			if (bookKnock(System.nanoTime())) {
				this.knocks += missedKnocks;
				this.busyKnocks += missedKnocks;
			}
			if (failed) {
				this.failedKnocks++;
			}
			return true;
		}
		finally {
			endWrite(odd);
		}
	}

	/** Ends a sampling window; with {@code continueSampling} the next one starts at once. */
	boolean endWindow(long generation, boolean continueSampling) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return false;
			}
			long now = System.nanoTime();
			bookSampled(now);
			this.lastWindowContention = KnockSnapshot.ratio(this.contendedNanos - this.windowContendedStart,
					this.sampledNanos - this.windowSampledStart);
			this.sampling = continueSampling;
			this.windowContendedStart = this.contendedNanos;
			this.windowSampledStart = this.sampledNanos;
			return true;
		}
		finally {
			endWrite(odd);
		}
	}

	/**
	 * Books what is in flight up to now and retires the generation: its thread may write no more.
	 * Does nothing if the generation is already retired.
	 */
	void retire(long generation) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return;
			}
			long now = System.nanoTime();
			if (this.waiting) {
				bookKnock(now);
			}
			bookSampled(now);
			this.sampling = false;
			this.generation = generation + 1;
		}
		finally {
			endWrite(odd);
		}
	}

	private boolean bookKnock(long now) {
		long wait = (this.waiting && now > this.waitingSince) ? now - this.waitingSince : 0;
		boolean busy = wait > 0 && wait > this.busyThresholdNanos;
		this.knocks++;
		if (busy) {
			this.busyKnocks++;
		}
		this.contendedNanos += wait;
		this.waiting = false;
		bookSampled(now);
		return busy;
	}

	private void bookSampled(long now) {
		if (this.sampling && now > this.sampledUntil) {
			this.sampledNanos += now - this.sampledUntil;
			this.sampledUntil = now;
		}
	}

	private long beginWrite() {
		for (;;) {
			long even = this.version.get();
			// Only the current and at most one retired knock loop thread ever compete here.
			if ((even & 1) == 0 && this.version.compareAndSet(even, even + 1)) {
				return even + 1;
			}
			Thread.onSpinWait();
		}
	}

	private void endWrite(long odd) {
		this.version.set(odd + 1);
	}

}
