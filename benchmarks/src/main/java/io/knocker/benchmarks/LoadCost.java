package io.knocker.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What Knocker's own threads cost under steady load, with measured calls open on two
 * doors all the time, against the same load through unannotated twins of the same methods
 * on the same doors, in the same running application, spells interleaved: the CPU of the
 * threads named {@code knocker*} from {@code /proc/self/task/*}/schedstat (nanoseconds).
 * Four threads keep two cores busy: a lock held 100 µs with 100 µs of work outside, then
 * a two-permit semaphore held 200 µs. Printed as Markdown.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.knocker.benchmarks.LoadCost [warm-up s] [spell s] [spells]}
 */
public final class LoadCost {

	private static volatile boolean annotated;

	private static volatile boolean running = true;

	private LoadCost() {
	}

	public static void main(String[] args) throws Exception {
		long warmup = (args.length > 0) ? Long.parseLong(args[0]) : 60;
		long spell = (args.length > 1) ? Long.parseLong(args[1]) : 10;
		int spells = (args.length > 2) ? Integer.parseInt(args[2]) : 8;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Config.class)
			.web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--logging.level.root=warn", "--knocker.doors.stock-lock.bean=stockLock",
					"--knocker.doors.permits.bean=permits")) {
			Measured measured = context.getBean(Measured.class);
			Plain plain = context.getBean(Plain.class);
			LongAdder calls = new LongAdder();
			for (int i = 0; i < 4; i++) {
				Thread load = new Thread(() -> {
					while (running) {
						if (annotated) {
							measured.onLock();
							measured.onPermits();
						}
						else {
							plain.onLock();
							plain.onPermits();
						}
						calls.add(2);
					}
				}, "load-" + i);
				load.setDaemon(true);
				load.start();
			}
			long end = System.nanoTime() + warmup * 1_000_000_000L;
			while (System.nanoTime() < end) {
				annotated = !annotated;
				Thread.sleep(1000);
			}
			System.out.printf("JVM %s %s, %d cores; %d s warm-up, %d s spells%n%n", System.getProperty("java.vm.name"),
					System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), warmup, spell);
			System.out.println("| spell | load through | knocker threads CPU (ms/s) | calls/s |");
			System.out.println("|---:|---|---:|---:|");
			double[] sums = new double[2];
			for (int i = 0; i < spells; i++) {
				annotated = i % 2 == 0;
				Thread.sleep(1000);
				long cpu = knockerCpuNanos();
				long callsBefore = calls.sum();
				long started = System.nanoTime();
				Thread.sleep(spell * 1000);
				double seconds = (System.nanoTime() - started) / 1e9;
				double msPerSecond = (knockerCpuNanos() - cpu) / 1e6 / seconds;
				sums[annotated ? 0 : 1] += msPerSecond;
				System.out.printf("| %d | %s | %.2f | %.0f |%n", i + 1,
						annotated ? "@KnockMeasured methods" : "unannotated twins", msPerSecond,
						(calls.sum() - callsBefore) / seconds);
			}
			running = false;
			System.out.printf("%nMean: annotated %.2f ms/s, unannotated %.2f ms/s; ratio %.2f%n",
					sums[0] / ((spells + 1) / 2), sums[1] / (spells / 2),
					(sums[0] / ((spells + 1) / 2)) / (sums[1] / (spells / 2)));
		}
	}

	/** CPU time of this process's threads named {@code knocker*}, in nanoseconds. */
	static long knockerCpuNanos() throws IOException {
		long total = 0;
		try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					if (Files.readString(task.resolve("comm")).startsWith("knocker")) {
						total += Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ")[0]);
					}
				}
				catch (IOException ex) {
					// The thread ended.
				}
			}
		}
		return total;
	}

	static void work(long nanos) {
		long end = System.nanoTime() + nanos;
		long x = 0;
		while (System.nanoTime() < end) {
			x = x * 31 + 7;
		}
		if (x == 42) {
			LockSupport.parkNanos(1);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class })
	static class Config {

		@Bean
		ReentrantLock stockLock() {
			return new ReentrantLock();
		}

		@Bean
		Semaphore permits() {
			return new Semaphore(2);
		}

		@Bean
		Measured measured(ReentrantLock stockLock, Semaphore permits) {
			return new Measured(new Plain(stockLock, permits));
		}

		@Bean
		Plain plain(ReentrantLock stockLock, Semaphore permits) {
			return new Plain(stockLock, permits);
		}

	}

	/** The work: the same for both, on the same doors. */
	public static class Plain {

		private final ReentrantLock lock;

		private final Semaphore permits;

		Plain(ReentrantLock lock, Semaphore permits) {
			this.lock = lock;
			this.permits = permits;
		}

		public void onLock() {
			this.lock.lock();
			try {
				work(100_000);
			}
			finally {
				this.lock.unlock();
			}
			work(100_000);
		}

		public void onPermits() {
			this.permits.acquireUninterruptibly();
			try {
				work(200_000);
			}
			finally {
				this.permits.release();
			}
		}

	}

	/** The same work, measured on its doors. */
	public static class Measured {

		private final Plain plain;

		Measured(Plain plain) {
			this.plain = plain;
		}

		@KnockMeasured(door = "stock-lock")
		public void onLock() {
			this.plain.onLock();
		}

		@KnockMeasured(door = "permits")
		public void onPermits() {
			this.plain.onPermits();
		}

	}

}
