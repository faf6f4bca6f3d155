package io.knocker.autoconfigure.web;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.autoconfigure.requests.HandOffStamp;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

/**
 * The door on Tomcat's request executor, by Tomcat's own API (the same under every Spring
 * Boot line): its connector's protocol handler's executor, Tomcat's own thread pool (or a
 * virtual thread per request when virtual threads are on).
 */
final class TomcatDoors {

	private TomcatDoors() {
	}

	/**
	 * The door on the request executor. Tomcat's pool is looked into before a knock, as
	 * the JDK's is: nothing queued and a worker idle, or room to start a worker, and a
	 * new request would start at once, so the knock gets through without waking a worker
	 * or starting one. The look: a queue size read, and the pool's main lock for a walk
	 * over its workers. Each knock asks the connector for its executor: a context stop
	 * and start gives Tomcat a new pool, which the door then knocks on (the old one, shut
	 * down, would read free for good).
	 * @param tomcat the embedded Tomcat
	 * @return the door
	 */
	static Door requestDoor(Tomcat tomcat) {
		// Behind the requests' hand-off stamp, if it came first.
		Executor first = HandOffStamp.unwrap(tomcat.getConnector().getProtocolHandler().getExecutor());
		if (!(first instanceof ThreadPoolExecutor pool)) {
			return Doors.executor(first);
		}
		CurrentPool current = new CurrentPool(tomcat.getService(), pool);
		return Doors.executor((task) -> {
			ThreadPoolExecutor now = current.get();
			if (now == null) {
				throw new RejectedExecutionException("Tomcat has no request pool now");
			}
			now.execute(task);
		}, () -> {
			// No pool between a stop and a start: nothing to wait for.
			ThreadPoolExecutor now = current.get();
			return now == null || startsAtOnce(now);
		}, () -> {
			ThreadPoolExecutor now = current.get();
			return (now != null) ? now.getMaximumPoolSize() : 0;
		});
	}

	/**
	 * Tomcat's request pool of the current start: the one found last, until it is shut
	 * down (a context stop), then the first connector's, asked of the service without
	 * creating one ({@code Tomcat.getConnector()} would create a connector).
	 */
	private static final class CurrentPool {

		private final Service service;

		private volatile ThreadPoolExecutor pool;

		CurrentPool(Service service, ThreadPoolExecutor pool) {
			this.service = service;
			this.pool = pool;
		}

		@Nullable ThreadPoolExecutor get() {
			ThreadPoolExecutor pool = this.pool;
			if (pool != null && !pool.isShutdown()) {
				return pool;
			}
			Connector[] connectors = this.service.findConnectors();
			Executor found = (connectors.length > 0)
					? HandOffStamp.unwrap(connectors[0].getProtocolHandler().getExecutor()) : null;
			if (found instanceof ThreadPoolExecutor next && !next.isShutdown()) {
				this.pool = next;
				return next;
			}
			return null;
		}

	}

	static Door requestDoor(Executor executor) {
		if (executor instanceof ThreadPoolExecutor pool) {
			return Doors.executor(pool, () -> startsAtOnce(pool), pool::getMaximumPoolSize);
		}
		return Doors.executor(executor);
	}

	private static boolean startsAtOnce(ThreadPoolExecutor pool) {
		BlockingQueue<Runnable> queue = pool.getQueue();
		return (queue.isEmpty() && pool.getActiveCount() < pool.getPoolSize())
				|| pool.getPoolSize() < pool.getMaximumPoolSize();
	}

}
