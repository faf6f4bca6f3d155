package io.knocker;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A knocker's counters: a sequence lock, so that readers never block the knocking.
 * Concurrency: writers are the knock loop, the thread a door waits on (or an executor's
 * thread running a probe) and the thread calling {@code stop()}; each write takes the
 * version odd with a CAS, so writes are serialised, and readers retry while it is odd.
 * Both back off alike.
 * <p>
 * The knock still waiting and the window still open count up to the moment of reading, so
 * a stuck door reads as stuck, and every write takes its time stamp inside the write so
 * that the counters never go back. Each start writes under a generation; once a
 * generation is retired, whatever its threads still try to write is refused, so a thread
 * stuck past {@code stop()} never touches the counters of the next start.
 */
final class Ledger {

	private final AtomicLong version = new AtomicLong();

	/** {@link System#nanoTime()}, or a test's clock. */
	private final LongSupplier clock;

	private volatile long generation;

	private volatile long knocks;

	private volatile long busyKnocks;

	private volatile long failedKnocks;

	private volatile long contendedNanos;

	private volatile long sampledNanos;

	private volatile long gcPauseNanos;

	private volatile long gcPauses;

	/**
	 * What measured calls see: the contended and sampled time of the sampling windows
	 * only. The JVM door's sleeps are sampled too and their pauses and starvation booked
	 * in one lump when the next window begins; a call that spans that moment must not get
	 * a whole sleep's lump over its own short stretch.
	 */
	private volatile long callContendedNanos;

	private volatile long callSampledNanos;

	/**
	 * The JVM door's pauses booked in windows: its windows' contended time less them is
	 * starvation.
	 */
	private volatile long callPauseNanos;

	/**
	 * The wall time each nanosecond of the windows' sampled time stands for, as measured
	 * over the last cycles (a loaded machine wakes the loop late and stretches sleeps).
	 */
	private final CycleRatio windowStretch = new CycleRatio();

	/** Where the cycle under way began: the knock loop's own. */
	private long cycleBegan;

	private long cycleSampled;

	/** Sampling goes on between windows (the JVM door's sleeps): not for calls. */
	private volatile boolean sleepSampling;

	private volatile boolean waiting;

	private volatile long waitingSince;

	private volatile long busyThresholdNanos;

	private volatile boolean sampling;

	/** A window ended while a knock still waited: sampling ends when it gets through. */
	private volatile boolean endSamplingWhenThrough;

	private volatile long sampledUntil;

	private volatile long windowContendedStart;

	private volatile long windowSampledStart;

	private volatile double lastWindowContention;

	Ledger() {
		this(System::nanoTime);
	}

	Ledger(LongSupplier clock) {
		this.clock = clock;
	}

	long generation() {
		return this.generation;
	}

	double lastWindowContention() {
		return this.lastWindowContention;
	}

	KnockSnapshot snapshot() {
		return read(Ledger::readSnapshot);
	}

	/**
	 * What a measured call reads at its ends: knocks, and the contended and sampled time
	 * of the sampling windows, a knock still waiting and the window still open included.
	 */
	CallMark mark() {
		return read(Ledger::readMark);
	}

	/**
	 * Reads the counters as one write left them: the sequence lock's read side, shared by
	 * every reader.
	 */
	private <T> T read(Function<Ledger, T> reading) {
		for (int spins = 0;; spins++) {
			long before = this.version.get();
			if ((before & 1) == 0) {
				T read = reading.apply(this);
				if (this.version.get() == before) {
					return read;
				}
			}
			backOff(spins);
		}
	}

	/**
	 * The knock under way counts up to now, and as busy once it has waited long enough.
	 */
	private KnockSnapshot readSnapshot() {
		long now = this.clock.getAsLong();
		long knocks = this.knocks;
		long busyKnocks = this.busyKnocks;
		long contended = this.contendedNanos;
		long waited = waitedUntil(now);
		if (waited > 0) {
			contended += waited;
			knocks++;
			if (waited > this.busyThresholdNanos) {
				busyKnocks++;
			}
		}
		long sampled = this.sampledNanos + sampledUntil(now, this.sampling);
		return new KnockSnapshot(knocks, busyKnocks, contended, sampled, this.failedKnocks, this.gcPauseNanos,
				this.gcPauses);
	}

	private CallMark readMark() {
		long now = this.clock.getAsLong();
		long waited = waitedUntil(now);
		long knocks = this.knocks + ((waited > 0) ? 1 : 0);
		long sampled = this.callSampledNanos + sampledUntil(now, this.sampling && !this.sleepSampling);
		return new CallMark(knocks, this.callContendedNanos + waited, sampled, this.callPauseNanos, now);
	}

	/** How long the knock under way has waited by {@code now}: 0 when none waits. */
	private long waitedUntil(long now) {
		long since = this.waitingSince;
		return (this.waiting && now > since) ? now - since : 0;
	}

	/** The sampled time not yet booked, by {@code now}. */
	private long sampledUntil(long now, boolean sampling) {
		long until = this.sampledUntil;
		return (sampling && now > until) ? now - until : 0;
	}

	/** Starts a sampling window. */
	boolean beginWindow(long generation) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return false;
			}
			long now = this.clock.getAsLong();
			this.endSamplingWhenThrough = false;
			if (!this.sampling) {
				this.sampling = true;
				this.sampledUntil = now;
			}
			bookSampled(now);
			this.sleepSampling = false;
			measureCycle(now);
			this.windowContendedStart = this.contendedNanos;
			this.windowSampledStart = this.sampledNanos;
			return true;
		}
		finally {
			endWrite(odd);
		}
	}

	/**
	 * The wall time each nanosecond of the windows' sampled time stands for, over the
	 * last cycles: the cycle over its window.
	 * @return the ratio, 0 before the first cycle ended
	 */
	double windowStretch() {
		return this.windowStretch.ratio();
	}

	/** As a window begins, the cycle that ends: its stretch. */
	private void measureCycle(long now) {
		long sampled = this.callSampledNanos;
		if (this.cycleBegan != 0 && now > this.cycleBegan) {
			this.windowStretch.cycle(now - this.cycleBegan, sampled - this.cycleSampled);
		}
		this.cycleBegan = now;
		this.cycleSampled = sampled;
	}

	/**
	 * The knock in progress waits from {@code nanoTime} on; busy if longer than the
	 * threshold.
	 */
	void waitingSince(long generation, long nanoTime, long busyThresholdNanos) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return;
			}
			this.waiting = true;
			this.waitingSince = nanoTime;
			this.busyThresholdNanos = busyThresholdNanos;
		}
		finally {
			endWrite(odd);
		}
	}

	/**
	 * Books the knock that just got through (or failed); one that got straight through
	 * waited nothing.
	 */
	void knocked(long generation, boolean straightThrough, boolean failed) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return;
			}
			if (straightThrough) {
				this.waiting = false;
			}
			bookKnock(this.clock.getAsLong());
			if (failed) {
				this.failedKnocks++;
			}
			if (this.endSamplingWhenThrough) {
				this.endSamplingWhenThrough = false;
				this.sampling = false;
			}
		}
		finally {
			endWrite(odd);
		}
	}

	/**
	 * Books a knock that fell due while the previous one still waited: it would have
	 * found the door busy.
	 */
	void missed(long generation) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return;
			}
			this.knocks++;
			this.busyKnocks++;
		}
		finally {
			endWrite(odd);
		}
	}

	/** Counts as busy knocks already booked as straight through. */
	void busy(long generation, int knocks) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return;
			}
			this.busyKnocks += knocks;
		}
		finally {
			endWrite(odd);
		}
	}

	/**
	 * Books time contended outside the knocks, and the JVM's pauses within it: a sleep's,
	 * booked as the next window begins, or a window's, as it ends (calls see only the
	 * latter).
	 */
	void contended(long generation, long nanos, long pauseNanos, long pauses) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return;
			}
			bookSampled(this.clock.getAsLong());
			this.contendedNanos += Math.max(0, nanos);
			if (!this.sleepSampling) {
				this.callContendedNanos += Math.max(0, nanos);
				this.callPauseNanos += Math.max(0, pauseNanos);
			}
			this.gcPauseNanos += Math.max(0, pauseNanos);
			this.gcPauses += Math.max(0, pauses);
		}
		finally {
			endWrite(odd);
		}
	}

	/**
	 * Ends a sampling window; with {@code continueSampling} the time until the next one
	 * is sampled too. A knock still waiting keeps the window open until it gets through,
	 * as a knocker blocked on the door would: its whole wait is sampled time.
	 */
	void endWindow(long generation, boolean continueSampling) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return;
			}
			long now = this.clock.getAsLong();
			bookSampled(now);
			this.lastWindowContention = KnockSnapshot.ratio(this.contendedNanos - this.windowContendedStart,
					this.sampledNanos - this.windowSampledStart);
			if (this.waiting && !continueSampling) {
				this.endSamplingWhenThrough = true;
			}
			else {
				this.sampling = continueSampling;
				this.sleepSampling = continueSampling;
			}
		}
		finally {
			endWrite(odd);
		}
	}

	/**
	 * Books what is in flight up to now and retires the generation: its threads may write
	 * no more. Does nothing if the generation is already retired.
	 */
	void retire(long generation) {
		long odd = beginWrite();
		try {
			if (generation != this.generation) {
				return;
			}
			long now = this.clock.getAsLong();
			if (this.waiting) {
				bookKnock(now);
			}
			bookSampled(now);
			this.sampling = false;
			this.sleepSampling = false;
			this.endSamplingWhenThrough = false;
			this.cycleBegan = 0;
			this.generation = generation + 1;
		}
		finally {
			endWrite(odd);
		}
	}

	private void bookKnock(long now) {
		long wait = (this.waiting && now > this.waitingSince) ? now - this.waitingSince : 0;
		this.knocks++;
		if (wait > 0 && wait > this.busyThresholdNanos) {
			this.busyKnocks++;
		}
		this.contendedNanos += wait;
		this.callContendedNanos += wait;
		this.waiting = false;
		bookSampled(now);
	}

	private void bookSampled(long now) {
		if (this.sampling && now > this.sampledUntil) {
			this.sampledNanos += now - this.sampledUntil;
			if (!this.sleepSampling) {
				this.callSampledNanos += now - this.sampledUntil;
			}
			this.sampledUntil = now;
		}
	}

	private long beginWrite() {
		for (int spins = 0;; spins++) {
			long even = this.version.get();
			if ((even & 1) == 0 && this.version.compareAndSet(even, even + 1)) {
				return even + 1;
			}
			backOff(spins);
		}
	}

	private void endWrite(long odd) {
		this.version.set(odd + 1);
	}

	private static void backOff(int spins) {
		if (spins < 100) {
			Thread.onSpinWait();
		}
		else {
			Thread.yield();
		}
	}

	/**
	 * A knocker's counters as a measured call reads them at its ends: knocks, and the
	 * contended and sampled time of the sampling windows, the pauses among the former
	 * (the JVM door's), and when it was read.
	 */
	record CallMark(long knocks, long contendedNanos, long sampledNanos, long pauseNanos, long nanoTime) {

	}

}
