package io.knocker.autoconfigure.web;

import io.knocker.Door;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * Jetty's request executor, in a Spring Boot 4 application.
 */
final class JettyRequestExecutor implements RequestExecutor {

	@Override
	public @Nullable Door find(WebServer server) {
		if (server instanceof JettyWebServer jetty) {
			return JettyDoors.requestDoor(jetty.getServer());
		}
		return null;
	}

}
