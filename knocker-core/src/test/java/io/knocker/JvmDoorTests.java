package io.knocker;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM door reads near zero when idle and sees stop-the-world pauses as the JVM counts them. */
class JvmDoorTests {

	@Test
	void anIdleJvmReadsNearZero() {
		try (KnockKnock knocker = KnockKnock.builder().build()) {
			knocker.start();
			Workload.sleepMillis(3000);
			double metric = knocker.getContentionMetric();
			System.out.printf("idle jvm door: contention %.4f busyRatio %.4f over %d knocks%n", metric,
					knocker.getBusyRatio(), knocker.snapshot().knocks());
			// The goal is < 0.02 (a 1 ms park wakes 80-120 us late here, a naive metric reads ~0.1).
			// Other builds share CI's two cores, so the band leaves room for their noise.
			assertThat(metric).isLessThan(0.04);
			assertThat(knocker.snapshot().knocks()).isGreaterThan(1000);
		}
	}

	@Test
	void contendedTimeMatchesTheGarbageCollectorsPauses() {
		List<Object> live = liveHeap(6_000_000);
		try (KnockKnock knocker = KnockKnock.builder().build()) {
			knocker.start();
			Workload.sleepMillis(300);
			KnockSnapshot before = knocker.snapshot();
			long gcBefore = collectionMillis();
			for (int i = 0; i < 5; i++) {
				System.gc();
				Workload.sleepMillis(50);
			}
			long gcMillis = collectionMillis() - gcBefore;
			double contendedMillis = (knocker.snapshot().contendedNanos() - before.contendedNanos()) / 1e6;
			System.out.printf("jvm door under System.gc(): contended %.1f ms, GC pauses %d ms (%.2f)%n",
					contendedMillis, gcMillis, contendedMillis / gcMillis);
			assertThat(gcMillis).isGreaterThan(50);
			// The goal is +-20%. CI's band is wider: on two shared cores the knocker thread can also be
			// held up by other work around the pauses, which it rightly counts, and the collector's
			// own accounting differs from the pause a running thread sees by a few milliseconds each.
			assertThat(contendedMillis).isBetween(gcMillis * 0.6, gcMillis * 1.5);
		}
		assertThat(live).hasSize(6_000_000);
	}

	private static List<Object> liveHeap(int objects) {
		List<Object> live = new ArrayList<>(objects);
		for (int i = 0; i < objects; i++) {
			live.add(new long[] { i, i });
		}
		return live;
	}

	private static long collectionMillis() {
		long total = 0;
		for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
			total += Math.max(0, gc.getCollectionTime());
		}
		return total;
	}

}
