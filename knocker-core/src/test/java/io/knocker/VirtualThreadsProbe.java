package io.knocker;

/**
 * Run with {@code -Djdk.virtualThreadScheduler.parallelism=1} on JDK 21+: the
 * virtual-threads door at rest, then while one virtual thread spins on the only carrier.
 */
public final class VirtualThreadsProbe {

	private VirtualThreadsProbe() {
	}

	public static void main(String[] args) throws Exception {
		try (KnockKnock knocker = KnockKnock.builder().name("virtual-threads").door(Doors.virtualThreads()).build()) {
			knocker.start();
			// The first virtual thread starts the scheduler, milliseconds once: not rest.
			Thread.sleep(300);
			knocker.resetContentionMetric();
			ParkControl control = new ParkControl();
			Thread.sleep(1500);
			double rest = knocker.getContentionMetric();
			double noise = control.reading();
			knocker.resetContentionMetric();
			Thread spinner = (Thread) Thread.class.getMethod("startVirtualThread", Runnable.class)
				.invoke(null, (Runnable) () -> {
					long end = System.nanoTime() + 1_500_000_000L;
					while (System.nanoTime() < end) {
						Thread.onSpinWait();
					}
				});
			Thread.sleep(1000);
			double spinning = knocker.getContentionMetric();
			spinner.join();
			System.out.printf("rest=%.4f spinning=%.4f kind=%s noise=%.4f%n", rest, spinning, knocker.getDoor().kind(),
					noise);
		}
	}

}
