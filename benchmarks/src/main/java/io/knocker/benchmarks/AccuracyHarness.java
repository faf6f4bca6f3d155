package io.knocker.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.KnockKnock;
import io.knocker.KnockSnapshot;
import io.knocker.MeasuredCall;
import io.knocker.MeasuredCallTotals;

/**
 * Knocker's readings against ground truth, printed as Markdown tables: the JVM door's
 * contended time against the collectors' own pause time under {@code System.gc()}, the
 * lock door's busy ratio against a holder's duty cycle, every door's reading when idle,
 * and a measured call's own wait ({@code waited}) against the wait each call timed
 * itself.
 * <p>
 * Run:
 * {@code java -Xmx4g -cp benchmarks/target/benchmarks.jar io.knocker.benchmarks.AccuracyHarness};
 * with the argument {@code quick}, a smoke run a tenth as long on a smaller heap; with
 * {@code waited}, only the section on a call's own wait.
 */
public final class AccuracyHarness {

	private static double scale = 1.0;

	private AccuracyHarness() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && "quick".equals(args[0])) {
			scale = 0.1;
		}
		if (args.length > 0 && "jvm-rest".equals(args[0])) {
			jvmAtRest();
			return;
		}
		if (args.length > 0 && "executor-rest".equals(args[0])) {
			executorAtRest();
			return;
		}
		if (args.length > 0 && "saturated".equals(args[0])) {
			saturated();
			return;
		}
		if (args.length > 0 && "jvm-gc".equals(args[0])) {
			jvmFullGcs(Integer.parseInt(args[1]));
			return;
		}
		if (args.length > 0 && "waited".equals(args[0])) {
			// The waited section alone.
			waited();
			return;
		}
		System.out.printf("JVM %s %s, %d cores%n%n", System.getProperty("java.vm.name"),
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
		gcPauses();
		dutyCycles();
		idle();
		saturated();
		waited();
	}

	/**
	 * Calls that each time their own queueing at a door with {@code System.nanoTime()}
	 * (open a measured call, get through, hold 2 ms, let go, 1 ms elsewhere, close), on
	 * 1, 2, 4 and 8 threads, under the default cycle (a 10 ms window every 110 ms): the
	 * time the calls waited over the time they took (the truth), against the calls'
	 * time-weighted {@code waited} ({@link MeasuredCallTotals}); and their time-weighted
	 * contention against the same workload's with the door knocking all the time
	 * ({@code sleepingInterval} 0), where every call is sampled. A semaphore has two
	 * permits.
	 */
	static void waited() throws InterruptedException {
		System.out.println();
		System.out.println("| door | threads | calls | sampled | truth | waited | difference | contention "
				+ "| contention, no sleep | difference |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (String kind : List.of("lock", "monitor", "semaphore")) {
			for (int threads : new int[] { 1, 2, 4, 8 }) {
				double[] cycle = waited(kind, threads, Duration.ofMillis(100));
				double[] always = waited(kind, threads, Duration.ZERO);
				System.out.printf("| %s | %d | %.0f | %.0f | %.3f | %.3f | %+.3f | %.3f | %.3f | %+.3f |%n", kind,
						threads, cycle[0], cycle[1], cycle[2], cycle[3], cycle[3] - cycle[2], cycle[4], always[4],
						cycle[4] - always[4]);
			}
		}
	}

	/** Calls, sampled calls, truth, waited and contention of one run. */
	private static double[] waited(String kind, int threads, Duration sleeping) throws InterruptedException {
		ReentrantLock lock = new ReentrantLock();
		Object monitor = new Object();
		Semaphore semaphore = new Semaphore(2);
		Door door = switch (kind) {
			case "lock" -> Doors.lock(lock);
			case "monitor" -> Doors.monitor(monitor);
			default -> Doors.semaphore(semaphore);
		};
		long hold = 2_000_000;
		MeasuredCallTotals totals = new MeasuredCallTotals();
		LongAdder waitedNanos = new LongAdder();
		LongAdder callNanos = new LongAdder();
		try (KnockKnock knocker = KnockKnock.builder()
			.name("waited-" + kind)
			.door(door)
			.sleepingInterval(sleeping)
			.build()) {
			knocker.start();
			long end = System.nanoTime() + (long) (5e9 * scale);
			List<Thread> callers = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				Thread caller = new Thread(() -> {
					while (System.nanoTime() < end) {
						long opened = System.nanoTime();
						MeasuredCall measured = knocker.open();
						long arrived = System.nanoTime();
						long entered;
						switch (kind) {
							case "lock" -> {
								lock.lock();
								entered = System.nanoTime();
								LockSupport.parkNanos(hold);
								lock.unlock();
							}
							case "monitor" -> {
								synchronized (monitor) {
									entered = System.nanoTime();
									LockSupport.parkNanos(hold);
								}
							}
							default -> {
								semaphore.acquireUninterruptibly();
								entered = System.nanoTime();
								LockSupport.parkNanos(hold);
								semaphore.release();
							}
						}
						LockSupport.parkNanos(1_000_000);
						measured.close();
						callNanos.add(System.nanoTime() - opened);
						waitedNanos.add(entered - arrived);
						totals.add(measured);
					}
				});
				callers.add(caller);
				caller.start();
			}
			for (Thread caller : callers) {
				caller.join();
			}
		}
		return new double[] { totals.calls(), totals.sampledCalls(),
				(double) waitedNanos.sum() / Math.max(1, callNanos.sum()), totals.waited().orElse(Double.NaN),
				totals.contention() };
	}

	/**
	 * The jvm door at the defaults against the same door knocking all the time, on a JVM
	 * whose cores four spinning threads saturate: the sleeps' starvation, estimated from
	 * the windows, should read as what continuous knocking measures.
	 */
	static void saturated() throws InterruptedException {
		List<Thread> spinners = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Thread spinner = new Thread(() -> {
				long sink = 0;
				while (!Thread.currentThread().isInterrupted()) {
					sink += System.nanoTime() % 7;
				}
				if (sink == 42) {
					System.out.print("");
				}
			});
			spinner.setDaemon(true);
			spinners.add(spinner);
			spinner.start();
		}
		// One after the other, alternating, three times each: knockers with different
		// intervals would share the knock loop's thread, and the first seconds of a JVM
		// (compilation) load whichever runs first. A duty-cycled door samples a tenth as
		// much, so one run of it is noisier; the means are what must agree.
		System.out
			.println("| jvm door, 4 spinning threads on " + Runtime.getRuntime().availableProcessors() + " cores, "
					+ Math.round(10 * scale) + " s a run | sleeping 0 (continuous) | defaults (sleeping 100 ms) |");
		System.out.println("|---|---:|---:|");
		// Unrecorded: the spinners and the knock loop get compiled first.
		saturatedRun(Duration.ZERO);
		double continuousSum = 0;
		double cyclingSum = 0;
		for (int run = 1; run <= 3; run++) {
			double continuous = saturatedRun(Duration.ZERO);
			double cycling = saturatedRun(null);
			continuousSum += continuous;
			cyclingSum += cycling;
			System.out.printf("| run %d | %.4f | %.4f |%n", run, continuous, cycling);
		}
		System.out.printf("| mean | %.4f | %.4f |%n%nRatio of the means, duty-cycled / continuous: %.2f%n%n",
				continuousSum / 3, cyclingSum / 3, cyclingSum / Math.max(1e-9, continuousSum));
		for (Thread spinner : spinners) {
			spinner.interrupt();
			spinner.join();
		}
	}

	/**
	 * One fresh JVM at rest, as a user first sees it: the {@code jvm} door at the
	 * defaults, 1 s to settle, then its contention over 4 s with nothing running. Run in
	 * ten fresh JVMs for the figure (the target: below 0.01 in each).
	 */
	static void jvmAtRest() {
		try (KnockKnock knocker = KnockKnock.builder().build()) {
			knocker.start();
			sleep(Duration.ofSeconds(1));
			KnockSnapshot before = knocker.snapshot();
			sleep(Duration.ofSeconds(4));
			KnockSnapshot after = knocker.snapshot();
			System.out.printf("jvm at rest, 4 s: contention %.4f (%d knocks, contended %.2f ms)%n",
					after.contentionSince(before), after.knocks() - before.knocks(),
					(after.contendedNanos() - before.contendedNanos()) / 1e6);
		}
	}

	/**
	 * One fresh JVM, nothing running: an executor Knocker cannot look into (a lambda over
	 * an idle pool of two) and, on JDK 21+, the {@code virtual-threads} door, at the
	 * defaults, 4 s after 1 s to settle. Their figure at rest is the tail of the idle
	 * hand-offs past the 90th percentile they subtract.
	 */
	static void executorAtRest() {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try (KnockKnock executor = KnockKnock.builder().name("executor").door(Doors.executor(pool::execute)).build();
				KnockKnock virtual = Doors.hasVirtualThreads()
						? KnockKnock.builder().name("virtual-threads").door(Doors.virtualThreads()).build() : null) {
			executor.start();
			if (virtual != null) {
				virtual.start();
			}
			sleep(Duration.ofSeconds(1));
			KnockSnapshot before = executor.snapshot();
			KnockSnapshot virtualBefore = (virtual != null) ? virtual.snapshot() : null;
			sleep(Duration.ofSeconds(4));
			System.out.printf("executor at rest, 4 s: contention %.4f%n", executor.snapshot().contentionSince(before));
			if (virtual != null) {
				System.out.printf("virtual threads at rest, 4 s: contention %.4f%n",
						virtual.snapshot().contentionSince(virtualBefore));
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * One fresh JVM, the {@code jvm} door at the defaults over eight full GCs of a live
	 * heap of {@code millions} million small objects, spaced 150 ms apart: its contended
	 * time against the collectors' own pause time (the target: 0.9 to 1.1).
	 */
	static void jvmFullGcs(int millions) {
		List<long[]> live = new ArrayList<>(millions * 1_000_000);
		for (int i = 0; i < millions * 1_000_000; i++) {
			live.add(new long[] { i });
		}
		pauseRow(String.format("System.gc() x8, %,d live objects", live.size()), () -> {
			for (int i = 0; i < 8; i++) {
				System.gc();
				sleep(Duration.ofMillis(150));
			}
		});
		if (live.size() != millions * 1_000_000) {
			throw new IllegalStateException("the live heap was collected");
		}
	}

	/** The JVM door's contended time against GarbageCollectorMXBean's collection time. */
	static void gcPauses() {
		System.out.println(
				"| workload | GC pauses | GC pause (ms) | jvm door: pauses counted (ms) | contended (ms) | ratio |");
		System.out.println("|---|---:|---:|---:|---:|---:|");
		for (int base : new int[] { 2_000_000, 6_000_000, 12_000_000 }) {
			int objects = (int) (base * scale);
			List<long[]> live = new ArrayList<>(objects);
			for (int i = 0; i < objects; i++) {
				live.add(new long[] { i });
			}
			// Spaced so that most of the full GCs fall between the door's windows.
			pauseRow(String.format("System.gc() x5, %,d live objects", live.size()), () -> {
				for (int i = 0; i < 5; i++) {
					System.gc();
					sleep(Duration.ofMillis(70));
				}
			});
		}
		List<Object> survivors = new ArrayList<>();
		pauseRow("allocation churn, " + Math.round(5 * scale) + " s (many short young pauses)", () -> {
			long end = System.nanoTime() + (long) (5e9 * scale);
			long sink = 0;
			while (System.nanoTime() < end) {
				byte[] garbage = new byte[1024];
				sink += garbage.length;
				if ((sink & 0xFFFF) == 0) {
					// A few survivors, so that young collections have something to copy.
					survivors.add(new long[16]);
					if (survivors.size() > 20_000) {
						survivors.clear();
					}
				}
			}
		});
		System.out.println();
	}

	private static void pauseRow(String workload, Runnable work) {
		try (KnockKnock knocker = KnockKnock.builder().build()) {
			knocker.start();
			sleep(Duration.ofMillis(300));
			KnockSnapshot before = knocker.snapshot();
			long gcBefore = collectionMillis();
			long countBefore = collectionCount();
			work.run();
			long gc = collectionMillis() - gcBefore;
			long pauses = collectionCount() - countBefore;
			// The last sleep's pauses are booked when the next window begins.
			long deadline = System.nanoTime() + 2_000_000_000L;
			while ((knocker.snapshot().gcPauses() - before.gcPauses()) < pauses && System.nanoTime() < deadline) {
				sleep(Duration.ofMillis(20));
			}
			KnockSnapshot after = knocker.snapshot();
			double counted = (after.gcPauseNanos() - before.gcPauseNanos()) / 1e6;
			double contended = (after.contendedNanos() - before.contendedNanos()) / 1e6;
			System.out.printf("| %s | %d | %d | %.0f | %.1f | %.3f |%n", workload, pauses, gc, counted, contended,
					contended / Math.max(1, gc));
		}
	}

	private static long collectionCount() {
		long total = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (!gc.getName().endsWith("Cycles")) {
				total += Math.max(0, gc.getCollectionCount());
			}
		}
		return total;
	}

	/** The lock door's busy ratio against the share of time a holder keeps the lock. */
	static void dutyCycles() throws InterruptedException {
		System.out.println("| holder's duty cycle | busyRatio | contentionMetric | knocks |");
		System.out.println("|---:|---:|---:|---:|");
		for (int tenths = 1; tenths <= 9; tenths++) {
			double duty = tenths / 10.0;
			ReentrantLock lock = new ReentrantLock();
			long period = 37_000_000;
			Thread holder = new Thread(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					lock.lock();
					try {
						LockSupport.parkNanos((long) (duty * period));
					}
					finally {
						lock.unlock();
					}
					LockSupport.parkNanos((long) ((1 - duty) * period));
				}
			});
			holder.start();
			try (KnockKnock knocker = KnockKnock.builder()
				.door(Doors.lock(lock))
				.sleepingInterval(Duration.ofMillis(1))
				.build()) {
				knocker.start();
				sleep(Duration.ofMillis((long) (3000 * scale)));
				System.out.printf("| %.1f | %.3f | %.3f | %d |%n", duty, knocker.getBusyRatio(),
						knocker.getContentionMetric(), knocker.snapshot().knocks());
			}
			holder.interrupt();
			holder.join();
		}
		System.out.println();
	}

	/** Every door, with nothing competing for it. */
	static void idle() {
		ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
		// Its threads started, as an application's tasks would have: a pool below its
		// core size is only looked at, and would read 0.
		pool.prestartAllCoreThreads();
		Map<String, Door> doors = new LinkedHashMap<>();
		doors.put("jvm", Doors.jvm());
		doors.put("lock", Doors.lock(new ReentrantLock()));
		doors.put("monitor", Doors.monitor(new Object()));
		doors.put("semaphore", Doors.semaphore(new Semaphore(1)));
		doors.put("executor", Doors.executor(pool));
		List<KnockKnock> knockers = new ArrayList<>();
		doors.forEach((name, door) -> knockers.add(KnockKnock.builder().name(name).door(door).build()));
		knockers.forEach(KnockKnock::start);
		sleep(Duration.ofMillis((long) (10_000 * scale)));
		System.out.println("| door (idle, " + Math.round(10 * scale)
				+ " s, all five at once) | contentionMetric | busyRatio | knocks |");
		System.out.println("|---|---:|---:|---:|");
		for (KnockKnock knocker : knockers) {
			knocker.stop();
			System.out.printf("| %s | %.4f | %.4f | %d |%n", knocker.getName(), knocker.getContentionMetric(),
					knocker.getBusyRatio(), knocker.snapshot().knocks());
		}
		pool.shutdownNow();
		System.out.println();
	}

	private static double saturatedRun(Duration sleeping) {
		KnockKnock.Builder builder = KnockKnock.builder().name("saturated");
		if (sleeping != null) {
			builder.sleepingInterval(sleeping);
		}
		try (KnockKnock knocker = builder.build()) {
			knocker.start();
			sleep(Duration.ofMillis((long) (10_000 * scale)));
			return knocker.getContentionMetric();
		}
	}

	private static long collectionMillis() {
		long total = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (!gc.getName().endsWith("Cycles")) {
				total += Math.max(0, gc.getCollectionTime());
			}
		}
		return total;
	}

	private static void sleep(Duration duration) {
		long end = System.nanoTime() + duration.toNanos();
		long left;
		while ((left = end - System.nanoTime()) > 0) {
			LockSupport.parkNanos(left);
		}
	}

}
