package io.knocker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads that make measured calls on a door, each call timing its own queueing with
 * {@code System.nanoTime()}: the ground truth that the calls' {@link MeasuredCallTotals}
 * estimate. A call opens, gets through the door (timed), holds it, lets go, spends a
 * while elsewhere and closes. The truth is time-weighted, as the figures are: the time
 * every call waited over the time every call took.
 */
final class Callers implements AutoCloseable {

	/** How a call gets through a door, holds it for {@code heldNanos} and lets go. */
	@FunctionalInterface
	interface Entry {

		/** Holds the door, calling {@code entered} the moment it got through. */
		void hold(Runnable entered, long heldNanos) throws InterruptedException;

	}

	private final List<Thread> threads = new ArrayList<>();

	private final MeasuredCallTotals totals = new MeasuredCallTotals();

	private final LongAdder waitedNanos = new LongAdder();

	private final LongAdder callNanos = new LongAdder();

	private volatile boolean running = true;

	Callers(KnockKnock knocker, Entry entry, int threads, long heldNanos, long elsewhereNanos) {
		for (int i = 0; i < threads; i++) {
			Thread thread = new Thread(() -> {
				while (this.running) {
					long[] entered = new long[1];
					long opened = System.nanoTime();
					MeasuredCall call = knocker.open();
					long arrived = System.nanoTime();
					try {
						entry.hold(() -> entered[0] = System.nanoTime(), heldNanos);
					}
					catch (InterruptedException ex) {
						return;
					}
					LockSupport.parkNanos(elsewhereNanos);
					call.close();
					long closed = System.nanoTime();
					this.totals.add(call);
					this.waitedNanos.add(entered[0] - arrived);
					this.callNanos.add(closed - opened);
				}
			}, "caller-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
		this.threads.forEach(Thread::start);
	}

	/**
	 * Stops the callers; the truth (time waited over time taken, all calls), the waited
	 * figure and the contention, both time-weighted over the sampled calls.
	 */
	double[] means() {
		close();
		return new double[] { (double) this.waitedNanos.sum() / Math.max(1, this.callNanos.sum()),
				this.totals.waited().orElse(-1), this.totals.contention() };
	}

	/** Calls made. */
	long calls() {
		return this.totals.calls();
	}

	/** Calls that spanned a sampling window. */
	long sampledCalls() {
		return this.totals.sampledCalls();
	}

	@Override
	public void close() {
		this.running = false;
		for (Thread thread : this.threads) {
			try {
				thread.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
