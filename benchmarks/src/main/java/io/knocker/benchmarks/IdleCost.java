package io.knocker.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.knocker.Doors;
import io.knocker.KnockKnock;

/**
 * What Knocker costs an idle JVM, printed as a Markdown table: CPU time and wake-ups
 * (context switches) a second of Knocker's threads with the jvm door and 0, 1, 10 and 50
 * idle lock doors at the defaults, beside a bare loop in the same run that wakes as often
 * as gilknocker's cycle does (ten 1 ms parks, one 100 ms park) and does nothing else: the
 * floor.
 * <p>
 * CPU time from {@link ThreadMXBean}, wake-ups from {@code /proc/self/task/<tid>/status}
 * (Linux). Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.knocker.benchmarks.IdleCost [seconds]}.
 */
public final class IdleCost {

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private IdleCost() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && "interleaved".equals(args[0])) {
			interleaved((args.length > 1) ? Integer.parseInt(args[1]) : 5,
					(args.length > 2) ? Integer.parseInt(args[2]) : 6,
					(args.length > 3) ? Integer.parseInt(args[3]) : 60);
			return;
		}
		int seconds = (args.length > 0) ? Integer.parseInt(args[0]) : 20;
		System.out.printf("JVM %s %s, %d cores, %d s per row%n%n", System.getProperty("java.vm.name"),
				System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds);
		System.out.println("| lock doors | knocker CPU (ms/s) | knocker wake-ups/s | knocker threads "
				+ "| bare loop CPU (ms/s) | bare loop wake-ups/s | CPU ratio to bare loop |");
		System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
		for (int doors : new int[] { 0, 1, 10, 50 }) {
			row(doors, seconds);
		}
	}

	private static void row(int doors, int seconds) throws Exception {
		List<KnockKnock> knockers = new ArrayList<>();
		knockers.add(KnockKnock.builder().build());
		for (int i = 0; i < doors; i++) {
			knockers.add(KnockKnock.builder().name("lock-" + i).door(Doors.lock(new ReentrantLock())).build());
		}
		Thread bare = new Thread(IdleCost::bareLoop, "bare-loop");
		bare.setDaemon(true);
		knockers.forEach(KnockKnock::start);
		bare.start();
		Thread.sleep(3000);
		Usage knocker0 = usage("knocker");
		Usage bare0 = usage("bare-loop");
		long started = System.nanoTime();
		Thread.sleep(seconds * 1000L);
		double elapsed = (System.nanoTime() - started) / 1e9;
		Usage knocker = usage("knocker").minus(knocker0);
		Usage loop = usage("bare-loop").minus(bare0);
		System.out.printf("| %d | %.2f | %.0f | %d | %.2f | %.0f | %.2f |%n", doors, knocker.cpuNanos / 1e6 / elapsed,
				knocker.switches / elapsed, knocker.threads, loop.cpuNanos / 1e6 / elapsed, loop.switches / elapsed,
				(double) knocker.cpuNanos / Math.max(1, loop.cpuNanos));
		knockers.forEach(KnockKnock::stop);
		bare.interrupt();
		bare.join();
	}

	/**
	 * The jvm door's knocker and the bare loop in turns, one alone at a time, in one JVM:
	 * {@code spells} pairs of {@code seconds} each after a warm-up of both, so that what
	 * the machine does meanwhile falls on both alike. Prints each pair's CPU (ms/s) and
	 * ratio, and the median ratio. The warm-up is a minute by default: at about a hundred
	 * wake-ups a second the knock loop's code runs C1's profiling tier for about that
	 * long (C2 compiles {@code Schedule.advance} at 55 s, -XX:+PrintCompilation), where
	 * it costs 1.4-1.9x the bare loop; 1.1-1.4x once compiled.
	 */
	private static void interleaved(int seconds, int spells, int warmupSeconds) throws Exception {
		System.out.printf(
				"JVM %s %s (%s), %d cores; jvm door alone and a bare loop alone in turns, %d s each after %d s of both%n%n",
				System.getProperty("java.vm.name"), System.getProperty("java.version"), collector(),
				Runtime.getRuntime().availableProcessors(), seconds, warmupSeconds);
		KnockKnock knocker = KnockKnock.builder().build();
		knocker.start();
		Thread bare = new Thread(IdleCost::bareLoop, "bare-loop");
		bare.setDaemon(true);
		bare.start();
		Thread.sleep(warmupSeconds * 1000L);
		bare.interrupt();
		bare.join();
		System.out.println("| pair | knocker CPU (ms/s) | bare loop CPU (ms/s) | ratio |");
		System.out.println("|---:|---:|---:|---:|");
		List<Double> ratios = new ArrayList<>();
		for (int pair = 1; pair <= spells; pair++) {
			double knocked = spell("knocker", seconds);
			knocker.stop();
			bare = new Thread(IdleCost::bareLoop, "bare-loop");
			bare.setDaemon(true);
			bare.start();
			double looped = spell("bare-loop", seconds);
			bare.interrupt();
			bare.join();
			knocker.start();
			ratios.add(knocked / looped);
			System.out.printf("| %d | %.2f | %.2f | %.2f |%n", pair, knocked, looped, knocked / looped);
		}
		knocker.stop();
		ratios.sort(null);
		System.out.printf("%nmedian ratio %.2f (range %.2f-%.2f)%n", ratios.get(ratios.size() / 2), ratios.get(0),
				ratios.get(ratios.size() - 1));
	}

	/**
	 * The CPU (ms/s) of the threads named so over the next {@code seconds}, after 1 s.
	 */
	private static double spell(String prefix, int seconds) throws Exception {
		Thread.sleep(1000);
		Usage before = usage(prefix);
		long started = System.nanoTime();
		Thread.sleep(seconds * 1000L);
		return usage(prefix).minus(before).cpuNanos / 1e6 / ((System.nanoTime() - started) / 1e9);
	}

	private static String collector() {
		return ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.map(GarbageCollectorMXBean::getName)
			.collect(Collectors.joining(", "));
	}

	/** gilknocker's cycle at the defaults with nothing in it. */
	private static void bareLoop() {
		while (!Thread.currentThread().isInterrupted()) {
			for (int i = 0; i < 10; i++) {
				LockSupport.parkNanos(1_000_000);
			}
			LockSupport.parkNanos(100_000_000);
		}
	}

	private static Usage usage(String prefix) throws IOException {
		long cpu = 0;
		int count = 0;
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().startsWith(prefix)) {
				cpu += threads.getThreadCpuTime(thread.getId());
				count++;
			}
		}
		long switches = 0;
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				String name = Files.readString(task.resolve("comm")).trim();
				if (name.startsWith(prefix)) {
					for (String line : Files.readAllLines(task.resolve("status"))) {
						if (line.contains("ctxt_switches")) {
							switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
						}
					}
				}
			}
		}
		return new Usage(cpu, switches, count);
	}

	private record Usage(long cpuNanos, long switches, int threads) {

		Usage minus(Usage earlier) {
			return new Usage(this.cpuNanos - earlier.cpuNanos, this.switches - earlier.switches, this.threads);
		}

	}

}
