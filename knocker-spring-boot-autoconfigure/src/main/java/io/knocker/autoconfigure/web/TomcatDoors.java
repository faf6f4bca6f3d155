package io.knocker.autoconfigure.web;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.autoconfigure.requests.HandOffStamp;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

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
		Supplier<Executor> current = () -> HandOffStamp
			.unwrap(tomcat.getConnector().getProtocolHandler().getExecutor());
		if (!(current.get() instanceof ThreadPoolExecutor)) {
			return Doors.executor(current.get());
		}
		return Doors.executor((task) -> current.get().execute(task),
				() -> current.get() instanceof ThreadPoolExecutor pool && startsAtOnce(pool),
				() -> (current.get() instanceof ThreadPoolExecutor pool) ? pool.getMaximumPoolSize() : 0);
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
