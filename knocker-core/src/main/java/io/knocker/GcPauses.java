package io.knocker;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The JVM's own record of its stop-the-world pauses: the cumulative time and count of the
 * collectors' pause beans (G1 Young/Old Generation and, from JDK 20, G1 Concurrent GC,
 * which times the Remark and Cleanup pauses; PS Scavenge/MarkSweep;
 * Copy/MarkSweepCompact; ZGC's and Shenandoah's {@code … Pauses}). A {@code … Cycles}
 * bean times whole concurrent cycles, during which the application runs, so it is never
 * counted.
 * <p>
 * Why cumulative totals read at window boundaries rather than GC notifications: reading
 * two numbers per bean costs nothing, allocates nothing and leaves no listener behind,
 * and a difference of totals is exact however many pauses fall in between; the beans'
 * millisecond totals round each reading, never each pause, so the error stays under a
 * millisecond in all.
 */
final class GcPauses {

	/** This JVM's, read by the JVM door and by whoever asks for the pauses so far. */
	static final GcPauses THIS_JVM = ofThisJvm();

	private final GarbageCollectorMXBean[] beans;

	GcPauses(List<? extends GarbageCollectorMXBean> collectors) {
		this.beans = collectors.stream()
			.filter((bean) -> countsPauses(bean.getName()))
			.toArray(GarbageCollectorMXBean[]::new);
	}

	static GcPauses ofThisJvm() {
		return new GcPauses(ManagementFactory.getGarbageCollectorMXBeans());
	}

	static boolean countsPauses(String collectorName) {
		return !collectorName.endsWith("Cycles");
	}

	/** Pause time so far, in nanoseconds. */
	long nanos() {
		long millis = 0;
		for (GarbageCollectorMXBean bean : this.beans) {
			millis += Math.max(0, bean.getCollectionTime());
		}
		return millis * 1_000_000;
	}

	/** Pauses so far. */
	long count() {
		long count = 0;
		for (GarbageCollectorMXBean bean : this.beans) {
			count += Math.max(0, bean.getCollectionCount());
		}
		return count;
	}

}
