package io.knocker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel's count of a thread's wait for a core, against what the test arranges: a
 * thread spinning among twice as many spinners as cores waits for a core about two thirds
 * of its time (a third at least, whatever else runs); a sleeping one hardly ever.
 */
@EnabledOnOs(OS.LINUX)
class RunQueueTests {

	@Test
	void aThreadAmongMoreSpinnersThanCoresWaitsForACoreMuchOfItsTime() throws Exception {
		int cores = Runtime.getRuntime().availableProcessors();
		AtomicBoolean spinning = new AtomicBoolean(true);
		List<Thread> spinners = new ArrayList<>();
		for (int i = 0; i < 2 * cores; i++) {
			Thread spinner = new Thread(() -> {
				while (spinning.get()) {
					Thread.onSpinWait();
				}
			});
			spinner.setDaemon(true);
			spinner.start();
			spinners.add(spinner);
		}
		try {
			long[] result = new long[2];
			Thread measured = new Thread(() -> {
				long before = Doors.runQueueNanos();
				long start = System.nanoTime();
				while (System.nanoTime() - start < 1_000_000_000L) {
					Thread.onSpinWait();
				}
				result[0] = Doors.runQueueNanos() - before;
				result[1] = System.nanoTime() - start;
			});
			measured.start();
			measured.join();
			double share = (double) result[0] / result[1];
			System.out.printf("run-queue delay among %d spinners on %d cores: %.3f of the time%n", 2 * cores, cores,
					share);
			// 1 - cores / (2 cores + 1) under a fair scheduler: 0.6 on two cores.
			assertThat(share).isBetween(0.33, 1.0);
		}
		finally {
			spinning.set(false);
			for (Thread spinner : spinners) {
				spinner.join();
			}
		}
	}

	@Test
	void aSleepingThreadHardlyWaitsForACore() throws Exception {
		long before = Doors.runQueueNanos();
		long start = System.nanoTime();
		for (int i = 0; i < 50; i++) {
			Thread.sleep(10);
		}
		long waited = Doors.runQueueNanos() - before;
		long wall = System.nanoTime() - start;
		System.out.printf("run-queue delay asleep: %.4f of the time%n", (double) waited / wall);
		assertThat(before).isNotNegative();
		assertThat((double) waited / wall).isBetween(0.0, 0.2);
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void aVirtualThreadHasNoCountOfItsOwn() throws Exception {
		long[] read = new long[1];
		Thread virtual = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class)
			.invoke(null, (Runnable) () -> read[0] = Doors.runQueueNanos());
		virtual.join();
		assertThat(read[0]).isEqualTo(-1);
		assertThat(Doors.runQueueNanos()).isNotNegative();
	}

}
