package io.knocker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An executor door on {@code Executors.newSingleThreadExecutor()}, idle and then busy:
 * prints how many threads the pool started while idle (knocks looked in, or handed it a
 * no-op) and the door's reading while its only thread is taken. Run with and without
 * {@code --add-opens java.base/java.util.concurrent=ALL-UNNAMED}.
 */
public final class JdkWrapperProbe {

	private JdkWrapperProbe() {
	}

	public static void main(String[] args) throws Exception {
		AtomicInteger started = new AtomicInteger();
		ExecutorService single = Executors.newSingleThreadExecutor((task) -> {
			started.incrementAndGet();
			Thread thread = new Thread(task, "single");
			thread.setDaemon(true);
			return thread;
		});
		try (KnockKnock knocker = KnockKnock.builder().name("single").door(Doors.executor(single)).build()) {
			knocker.start();
			Thread.sleep(500);
			int idleThreads = started.get();
			CountDownLatch release = new CountDownLatch(1);
			single.execute(() -> {
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
			Thread.sleep(100);
			knocker.resetContentionMetric();
			Thread.sleep(1000);
			double busy = knocker.getContentionMetric();
			release.countDown();
			System.out.printf("idleThreads=%d busy=%.4f%n", idleThreads, busy);
		}
	}

}
