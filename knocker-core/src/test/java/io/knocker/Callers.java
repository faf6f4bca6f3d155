package io.knocker;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads that make measured calls on a door, each call timing its own queueing with
 * {@code System.nanoTime()}: the ground truth that a call's {@link MeasuredCall#waited()}
 * estimates. A call opens a window, gets through the door (timed), holds it, lets go,
 * spends a while elsewhere and closes the window.
 */
final class Callers implements AutoCloseable {

	/** How a call gets through a door, holds it for {@code heldNanos} and lets go. */
	@FunctionalInterface
	interface Entry {

		/** Holds the door, calling {@code entered} the moment it got through. */
		void hold(Runnable entered, long heldNanos) throws InterruptedException;

	}

	private final List<Thread> threads = new ArrayList<>();

	private final List<double[]> calls = new ArrayList<>();

	private volatile boolean running = true;

	Callers(KnockKnock knocker, Entry entry, int threads, long heldNanos, long elsewhereNanos) {
		for (int i = 0; i < threads; i++) {
			Thread thread = new Thread(() -> {
				while (this.running) {
					long[] entered = new long[1];
					long opened = System.nanoTime();
					MeasuredCall window = knocker.open();
					long arrived = System.nanoTime();
					try {
						entry.hold(() -> entered[0] = System.nanoTime(), heldNanos);
					}
					catch (InterruptedException ex) {
						return;
					}
					LockSupport.parkNanos(elsewhereNanos);
					window.close();
					long closed = System.nanoTime();
					OptionalDouble waited = window.waited();
					if (window.isSampled() && waited.isPresent()) {
						double truth = (double) (entered[0] - arrived) / (closed - opened);
						synchronized (this.calls) {
							this.calls.add(new double[] { truth, waited.getAsDouble(), window.contention() });
						}
					}
				}
			}, "caller-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
		}
		this.threads.forEach(Thread::start);
	}

	/**
	 * Stops the callers; the means of the truth, the waited figure and the contention.
	 */
	double[] means() {
		close();
		synchronized (this.calls) {
			double[] sums = new double[3];
			for (double[] call : this.calls) {
				for (int i = 0; i < 3; i++) {
					sums[i] += call[i];
				}
			}
			for (int i = 0; i < 3; i++) {
				sums[i] /= Math.max(1, this.calls.size());
			}
			return sums;
		}
	}

	int calls() {
		synchronized (this.calls) {
			return this.calls.size();
		}
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
