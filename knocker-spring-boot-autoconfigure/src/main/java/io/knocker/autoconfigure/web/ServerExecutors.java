package io.knocker.autoconfigure.web;

import java.util.concurrent.Executor;

import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;

/**
 * Where Tomcat and Jetty run requests, by their own APIs, the same under every Spring
 * Boot line.
 */
final class ServerExecutors {

	private ServerExecutors() {
	}

	/**
	 * Tomcat's request executor: its connector's protocol handler's (a thread pool, or a
	 * virtual thread per request when virtual threads are on).
	 * @param tomcat the embedded Tomcat
	 * @return its request executor
	 */
	static Executor of(Tomcat tomcat) {
		return tomcat.getConnector().getProtocolHandler().getExecutor();
	}

	/**
	 * Jetty's request executor: its server's thread pool.
	 * @param jetty the embedded Jetty server
	 * @return its thread pool
	 */
	static Executor of(Server jetty) {
		return jetty.getThreadPool();
	}

}
