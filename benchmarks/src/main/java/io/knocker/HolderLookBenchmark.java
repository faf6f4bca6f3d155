package io.knocker;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one holder look costs the knock loop: a thread blocked on a monitor that another
 * thread holds, sampled as the loop samples a busy door's holder (the waiter's lock
 * owner, then both threads in one snapshot with eight frames). The loop makes at most two
 * such looks a second per door. In {@code io.knocker} to reach the package-private
 * {@link Holders}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HolderLookBenchmark {

	private final Object monitor = new Object();

	private final Holders holders = new Holders(1e9);

	private volatile boolean release;

	private Thread owner;

	private Thread waiter;

	@Setup
	public void block() throws InterruptedException {
		CountDownLatch held = new CountDownLatch(1);
		this.owner = new Thread(() -> {
			synchronized (this.monitor) {
				held.countDown();
				while (!this.release) {
					LockSupport.parkNanos(1_000_000);
				}
			}
		}, "holder");
		this.owner.start();
		held.await();
		this.waiter = new Thread(() -> {
			synchronized (this.monitor) {
				// Only gets here on tear-down.
			}
		}, "waiter");
		this.waiter.start();
		while (this.waiter.getState() != Thread.State.BLOCKED) {
			Thread.onSpinWait();
		}
	}

	@TearDown
	public void release() throws InterruptedException {
		this.release = true;
		this.owner.join();
		this.waiter.join();
	}

	@Benchmark
	public List<String> look() {
		List<String> site = this.holders.sample(this.waiter, this.monitor, System.nanoTime());
		if (site == null) {
			throw new IllegalStateException("no holder seen");
		}
		return site;
	}

}
