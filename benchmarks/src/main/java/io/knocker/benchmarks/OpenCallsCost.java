package io.knocker.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.KnockKnock;
import io.knocker.MeasuredCall;

/**
 * What looking at open calls costs the knock loop: the {@code knocker} thread's CPU time
 * a second, knocking one door at the defaults (1 ms polling, a 10 ms window every 110 ms:
 * open calls ride the cycle), with 1, 10 and 200 calls open on it (each on a parked
 * thread of its own), for a lock door and a monitor door. The loop looks at every open
 * call's thread at every knock. Printed as a Markdown table.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.knocker.benchmarks.OpenCallsCost [seconds]}
 */
public final class OpenCallsCost {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private OpenCallsCost() {
	}

	public static void main(String[] args) throws Exception {
		long seconds = (args.length > 0) ? Long.parseLong(args[0]) : 10;
		System.out.println("| door | open calls | knocker thread CPU (ms/s) | knocks/s | ratio to 1 open |");
		System.out.println("|---|---:|---:|---:|---:|");
		for (String kind : List.of("lock", "monitor", "lock, calls blocked on it", "monitor, calls blocked on it")) {
			double one = 0;
			for (int open : new int[] { 1, 10, 200 }) {
				ReentrantLock lock = new ReentrantLock();
				Object monitor = new Object();
				boolean blocked = kind.endsWith("blocked on it");
				Door door = kind.startsWith("lock") ? Doors.lock(lock) : Doors.monitor(monitor);
				Runnable inCall = !blocked ? () -> {
				} : kind.startsWith("lock") ? () -> {
					lock.lock();
					lock.unlock();
				} : () -> {
					synchronized (monitor) {
						monitor.hashCode();
					}
				};
				double[] figures = blocked ? held(kind.startsWith("lock") ? lock : monitor, door, open, seconds, inCall)
						: run(door, open, seconds, inCall);
				if (open == 1) {
					one = figures[0];
				}
				System.out.printf("| %s | %d | %.2f | %.0f | %.2f |%n", kind, open, figures[0], figures[1],
						figures[0] / one);
			}
		}
	}

	/**
	 * With the lock or monitor held by this thread all along, so that every call blocks
	 * on it.
	 */
	private static double[] held(Object door, Door knocked, int open, long seconds, Runnable inCall)
			throws InterruptedException {
		if (door instanceof ReentrantLock lock) {
			lock.lock();
			try {
				return run(knocked, open, seconds, inCall);
			}
			finally {
				lock.unlock();
			}
		}
		synchronized (door) {
			return run(knocked, open, seconds, inCall);
		}
	}

	private static double[] run(Door door, int open, long seconds, Runnable inCall) throws InterruptedException {
		try (KnockKnock knocker = KnockKnock.builder().name("open-calls").door(door).build()) {
			knocker.start();
			CountDownLatch done = new CountDownLatch(1);
			CountDownLatch opened = new CountDownLatch(open);
			List<Thread> callers = new ArrayList<>();
			for (int i = 0; i < open; i++) {
				Thread caller = new Thread(() -> {
					try (MeasuredCall measured = knocker.open()) {
						opened.countDown();
						inCall.run();
						done.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				});
				caller.setDaemon(true);
				callers.add(caller);
				caller.start();
			}
			opened.await();
			Thread.sleep(1000);
			long id = loopThreadId();
			long cpu = threads.getThreadCpuTime(id);
			long knocks = knocker.snapshot().knocks();
			long start = System.nanoTime();
			Thread.sleep(seconds * 1000);
			double elapsed = (System.nanoTime() - start) / 1e9;
			double cpuMsPerSecond = (threads.getThreadCpuTime(id) - cpu) / 1e6 / elapsed;
			double knocksPerSecond = (knocker.snapshot().knocks() - knocks) / elapsed;
			// The callers end once the door is free (daemon threads: nothing waits for
			// them).
			done.countDown();
			return new double[] { cpuMsPerSecond, knocksPerSecond };
		}
	}

	private static long loopThreadId() {
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().equals("knocker")) {
				return thread.getId();
			}
		}
		throw new IllegalStateException("No knock loop running");
	}

}
