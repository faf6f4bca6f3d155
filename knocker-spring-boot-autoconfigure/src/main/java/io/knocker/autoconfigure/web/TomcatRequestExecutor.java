package io.knocker.autoconfigure.web;

import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * Tomcat's request executor: its connector's protocol handler's (a thread pool, or a
 * virtual thread per request when virtual threads are on).
 */
final class TomcatRequestExecutor implements RequestExecutor {

	@Override
	public @Nullable Executor find(WebServer server) {
		if (server instanceof TomcatWebServer tomcat) {
			return tomcat.getTomcat().getConnector().getProtocolHandler().getExecutor();
		}
		return null;
	}

}
