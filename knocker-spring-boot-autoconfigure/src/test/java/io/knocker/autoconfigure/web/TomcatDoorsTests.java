package io.knocker.autoconfigure.web;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.knocker.KnockKnock;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The http door's look into Tomcat's own pool. */
class TomcatDoorsTests {

	@Test
	void aKnockNeverMakesTomcatStartAWorker() throws Exception {
		// Tomcat's pool, built as its endpoint builds it: one worker to start, up to
		// four; with the one busy, Tomcat starts a worker for a newcomer rather than
		// queue it.
		TaskQueue queue = new TaskQueue();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 4, 60, TimeUnit.SECONDS, queue,
				new TaskThreadFactory("tomcat-test-exec-", true, Thread.NORM_PRIORITY));
		queue.setParent(pool);
		CountDownLatch release = new CountDownLatch(1);
		KnockKnock knocker = KnockKnock.builder()
			.name("tomcat-pool")
			.door(TomcatDoors.requestDoor(pool))
			.pollingInterval(Duration.ofNanos(200_000))
			.sleepingInterval(Duration.ZERO)
			.build();
		try (knocker) {
			pool.execute(() -> awaitQuietly(release));
			knocker.start();
			Thread.sleep(300);
			assertThat(knocker.snapshot().knocks()).isGreaterThan(100);
			// Handed a no-op, Tomcat would have started a second worker for it.
			assertThat(pool.getLargestPoolSize()).isOne();
			assertThat(pool.getCompletedTaskCount()).isZero();
		}
		finally {
			release.countDown();
			pool.shutdownNow();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
