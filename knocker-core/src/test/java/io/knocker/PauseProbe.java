package io.knocker;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM of its own with a collector's flag: a JVM door at the defaults while
 * explicit full GCs over a large live heap fall mostly between its windows. Prints what
 * the door counted and what the collector's pause and cycle beans report.
 */
public final class PauseProbe {

	private PauseProbe() {
	}

	public static void main(String[] args) throws Exception {
		List<long[]> live = new ArrayList<>();
		for (int i = 0; i < 3_000_000; i++) {
			live.add(new long[] { i, i });
		}
		try (KnockKnock knocker = KnockKnock.builder().build()) {
			knocker.start();
			Thread.sleep(300);
			KnockSnapshot before = knocker.snapshot();
			long pauses = beans(false);
			long cycles = beans(true);
			for (int i = 0; i < 6; i++) {
				System.gc();
				Thread.sleep(70);
			}
			// Two whole cycles, so that the last sleep's pauses are booked.
			Thread.sleep(250);
			KnockSnapshot after = knocker.snapshot();
			System.out.printf("contended=%d pauses=%d cycles=%d counted=%d live=%d%n",
					(after.contendedNanos() - before.contendedNanos()) / 1_000_000, beans(false) - pauses,
					beans(true) - cycles, (after.gcPauseNanos() - before.gcPauseNanos()) / 1_000_000, live.size());
		}
	}

	private static long beans(boolean cycles) {
		long millis = 0;
		for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
			if (bean.getName().endsWith("Cycles") == cycles) {
				millis += bean.getCollectionTime();
			}
		}
		return millis;
	}

}
