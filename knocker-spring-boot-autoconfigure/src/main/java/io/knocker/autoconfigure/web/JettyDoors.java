package io.knocker.autoconfigure.web;

import io.knocker.Door;
import io.knocker.Doors;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The door on Jetty's request executor, by Jetty's own API (the same under every Spring
 * Boot line): its server's thread pool.
 */
final class JettyDoors {

	private JettyDoors() {
	}

	/**
	 * The door on the server's thread pool. Jetty's {@link QueuedThreadPool} is looked
	 * into before a knock by its own counts (nothing queued, a thread idle: a new request
	 * would start at once), so the knock gets through without waking a thread; both are
	 * field reads.
	 * @param jetty the embedded Jetty server
	 * @return the door
	 */
	static Door requestDoor(Server jetty) {
		ThreadPool threads = jetty.getThreadPool();
		if (threads instanceof QueuedThreadPool pool) {
			// Behind the requests' hand-off stamp, if it is on: a knock is not a request.
			java.util.concurrent.Executor executor = (pool instanceof JettyHandOff.StampingThreadPool stamping)
					? stamping::knock : pool;
			// Its capacity: the threads that can run requests, not those its acceptors
			// and selectors lease for good.
			return Doors.executor(executor, () -> pool.getQueueSize() == 0 && pool.getIdleThreads() > 0,
					pool::getMaxAvailableThreads);
		}
		return Doors.executor(threads);
	}

}
