package io.knocker.autoconfigure;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A bare loop beside a test that hands a no-op to an idle pool of its own on gilknocker's
 * cycle (ten a millisecond apart, then 100 ms) and times until it starts: what an idle
 * executor door reads from the machine's load alone (its hand-off time beyond its own
 * 90th percentile, over the time it ran). The auto-configuration's copy of the core
 * tests' control of the same name.
 */
public final class HandOffControl implements AutoCloseable {

	private final ExecutorService pool;

	private final long[] handOffs = new long[20_000];

	private final Thread thread;

	private volatile boolean running = true;

	private int count;

	private long windows;

	/** Starts the loop, on a pool of two threads. */
	public HandOffControl() {
		this(Executors.newFixedThreadPool(2));
	}

	/**
	 * Starts the loop, handing off to the given executor (say, event loops of its own, to
	 * compare with an event-loop door); it is shut down with the loop.
	 * @param pool the executor to hand no-ops to
	 */
	public HandOffControl(ExecutorService pool) {
		this.pool = pool;
		this.thread = new Thread(this::run, "hand-off-control");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		while (this.running && this.count < this.handOffs.length) {
			long windowStart = System.nanoTime();
			for (int i = 0; i < 10 && this.count < this.handOffs.length; i++) {
				CountDownLatch ran = new CountDownLatch(1);
				long[] at = new long[1];
				long submitted = System.nanoTime();
				this.pool.execute(() -> {
					at[0] = System.nanoTime();
					ran.countDown();
				});
				try {
					ran.await(1, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				this.handOffs[this.count++] = at[0] - submitted;
				LockSupport.parkNanos(1_000_000);
			}
			this.windows += System.nanoTime() - windowStart;
			LockSupport.parkNanos(100_000_000);
		}
	}

	/**
	 * Stops the loop and returns its reading.
	 * @return from 0 to 1
	 */
	public double reading() {
		close();
		long[] sorted = Arrays.copyOf(this.handOffs, this.count);
		Arrays.sort(sorted);
		long p90 = (sorted.length > 0) ? sorted[(int) (0.9 * (sorted.length - 1))] : 0;
		long beyond = 0;
		for (long nanos : sorted) {
			beyond += Math.max(0, nanos - p90);
		}
		return (double) beyond / Math.max(1, this.windows);
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
		this.pool.shutdownNow();
	}

}
