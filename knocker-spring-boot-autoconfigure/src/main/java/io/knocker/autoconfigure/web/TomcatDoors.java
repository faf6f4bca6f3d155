package io.knocker.autoconfigure.web;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;

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
	 * over its workers.
	 * @param tomcat the embedded Tomcat
	 * @return the door
	 */
	static Door requestDoor(Tomcat tomcat) {
		// Behind the requests' hand-off stamp, if it came first.
		return requestDoor(HandOffStamp.unwrap(tomcat.getConnector().getProtocolHandler().getExecutor()));
	}

	/**
	 * The door on Tomcat's pool, or on whatever executor its connector has. Tomcat's pool
	 * starts a worker for a task whenever none is idle and it is below its maximum (its
	 * queue refuses the task): a knock then gets through untouched, as it does with a
	 * worker idle and nothing queued, so that a knock never grows the pool.
	 */
	static Door requestDoor(Executor executor) {
		if (executor instanceof ThreadPoolExecutor pool) {
			BlockingQueue<Runnable> queue = pool.getQueue();
			return Doors.executor(pool, () -> (queue.isEmpty() && pool.getActiveCount() < pool.getPoolSize())
					|| pool.getPoolSize() < pool.getMaximumPoolSize(), pool::getMaximumPoolSize);
		}
		return Doors.executor(executor);
	}

}
