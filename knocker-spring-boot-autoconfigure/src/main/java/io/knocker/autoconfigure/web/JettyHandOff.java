package io.knocker.autoconfigure.web;

import java.lang.reflect.Method;
import java.util.concurrent.BlockingQueue;

import io.knocker.autoconfigure.requests.HandOffStamp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.util.ReflectionUtils;

/**
 * Stamps every hand-off of a request to Jetty's workers ({@link HandOffStamp}), so that a
 * request's {@code http} wait is its own queue time, exact. Jetty's own begin time is
 * taken on the worker, after the queue, so it cannot serve. Jetty's pool cannot be
 * swapped once its server is built, so this customizes the server's factory last, after
 * Spring Boot has set the pool up from {@code server.jetty.threads.*}: Boot's
 * {@link QueuedThreadPool} becomes one with the same settings and queue that stamps each
 * task as Jetty's own {@code MonitoredQueuedThreadPool} wraps them to time its queue. A
 * pool of the application's own class, and virtual threads' pool, are left as they are:
 * their requests have no {@code http} wait. Called by name, so that the same class serves
 * Spring Boot 3.5's factories and 4's.
 */
final class JettyHandOff implements WebServerFactoryCustomizer<WebServerFactory>, Ordered {

	private static final Log logger = LogFactory.getLog(JettyHandOff.class);

	@Override
	public void customize(WebServerFactory factory) {
		Method get = ReflectionUtils.findMethod(factory.getClass(), "getThreadPool");
		Method set = ReflectionUtils.findMethod(factory.getClass(), "setThreadPool", ThreadPool.class);
		if (get == null || set == null) {
			return;
		}
		Object pool = ReflectionUtils.invokeMethod(get, factory);
		if (pool != null && pool.getClass() != QueuedThreadPool.class) {
			return;
		}
		try {
			ReflectionUtils.invokeMethod(set, factory, StampingThreadPool.like((QueuedThreadPool) pool));
		}
		catch (RuntimeException ex) {
			logger.info("Requests' queue time for a Jetty worker is not measured: Jetty's pool could not be "
					+ "copied (" + ex + "); the other waits are");
		}
	}

	@Override
	public int getOrder() {
		// After Spring Boot's own customizers, which set the pool up.
		return Ordered.LOWEST_PRECEDENCE;
	}

	/** Jetty's pool, stamping each task it is handed. */
	static final class StampingThreadPool extends QueuedThreadPool {

		private StampingThreadPool(int max, int min, int idleTimeout, int reserved,
				@Nullable BlockingQueue<Runnable> queue) {
			super(max, min, idleTimeout, reserved, queue, null);
		}

		/**
		 * A stamping pool with the settings and queue of the one given, or Jetty's
		 * defaults.
		 */
		static StampingThreadPool like(@Nullable QueuedThreadPool pool) {
			if (pool == null) {
				QueuedThreadPool defaults = new QueuedThreadPool();
				return new StampingThreadPool(defaults.getMaxThreads(), defaults.getMinThreads(),
						defaults.getIdleTimeout(), defaults.getReservedThreads(), null);
			}
			Method getQueue = ReflectionUtils.findMethod(QueuedThreadPool.class, "getQueue");
			if (getQueue == null) {
				throw new IllegalStateException("QueuedThreadPool#getQueue is gone");
			}
			ReflectionUtils.makeAccessible(getQueue);
			@SuppressWarnings("unchecked")
			BlockingQueue<Runnable> queue = (BlockingQueue<Runnable>) ReflectionUtils.invokeMethod(getQueue, pool);
			StampingThreadPool stamping = new StampingThreadPool(pool.getMaxThreads(), pool.getMinThreads(),
					pool.getIdleTimeout(), pool.getReservedThreads(), queue);
			stamping.setName(pool.getName());
			stamping.setDaemon(pool.isDaemon());
			stamping.setThreadsPriority(pool.getThreadsPriority());
			stamping.setStopTimeout(pool.getStopTimeout());
			stamping.setLowThreadsThreshold(pool.getLowThreadsThreshold());
			stamping.setMaxEvictCount(pool.getMaxEvictCount());
			stamping.setDetailedDump(pool.isDetailedDump());
			stamping.setVirtualThreadsExecutor(pool.getVirtualThreadsExecutor());
			return stamping;
		}

		@Override
		public void execute(Runnable job) {
			super.execute(HandOffStamp.stamped(job));
		}

		@Override
		public boolean tryExecute(Runnable job) {
			return super.tryExecute(HandOffStamp.stamped(job));
		}

		/** Hands a knock's task over unstamped: nothing allocated per knock. */
		void knock(Runnable job) {
			super.execute(job);
		}

	}

}
