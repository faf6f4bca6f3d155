package io.knocker.autoconfigure.web;

import io.knocker.Door;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;

/**
 * Tomcat's request executor, in a Spring Boot 4 application.
 */
final class TomcatRequestExecutor implements RequestExecutor {

	@Override
	public @Nullable Door find(WebServer server) {
		if (server instanceof TomcatWebServer tomcat) {
			return TomcatDoors.requestDoor(tomcat.getTomcat());
		}
		return null;
	}

}
