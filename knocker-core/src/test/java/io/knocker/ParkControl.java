package io.knocker;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * A bare loop of 1 ms parks beside a test, measuring what the JVM door would read from
 * timer noise and CPU starvation alone in the same conditions: its lateness beyond its
 * own median, over the time it ran. On a quiet machine it reads about 0.002; on a loaded
 * one, what the load costs.
 */
final class ParkControl implements AutoCloseable {

	private final long[] lateness = new long[100_000];

	private final Thread thread;

	private volatile boolean running = true;

	private int parks;

	private long started;

	private long ended;

	ParkControl() {
		this.thread = new Thread(this::run, "park-control");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		this.started = System.nanoTime();
		while (this.running && this.parks < this.lateness.length) {
			long start = System.nanoTime();
			LockSupport.parkNanos(1_000_000);
			this.lateness[this.parks++] = System.nanoTime() - start - 1_000_000;
		}
		this.ended = System.nanoTime();
	}

	/** Stops the loop and returns its reading, from 0 to 1. */
	double reading() {
		close();
		long[] late = Arrays.copyOf(this.lateness, this.parks);
		Arrays.sort(late);
		long median = late[late.length / 2];
		long beyond = 0;
		for (long nanos : late) {
			beyond += Math.max(0, nanos - median);
		}
		return (double) beyond / (this.ended - this.started);
	}

	/**
	 * Stops the loop and reads its lateness as the JVM door reads its knocks': beyond a
	 * {@link Baseline} of the timer's idle lateness (its median under 1 ms), not beyond
	 * its own median. Under steady CPU starvation most parks are late by a time slice, so
	 * the median rises and {@link #reading()} reads low; the JVM door, and this, read the
	 * starvation. From 0 to 1.
	 */
	double readingAsTheJvmDoor() {
		close();
		Baseline baseline = new Baseline(1_000_000);
		long beyond = 0;
		for (int i = 0; i < this.parks; i++) {
			long late = this.lateness[i];
			beyond += Math.max(0, late - baseline.nanos());
			baseline.observe(late);
		}
		return (double) beyond / (this.ended - this.started);
	}

	@Override
	public void close() {
		this.running = false;
		try {
			this.thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
