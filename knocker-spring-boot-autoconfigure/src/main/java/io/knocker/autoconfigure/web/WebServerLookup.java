package io.knocker.autoconfigure.web;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ApplicationContext;

/**
 * Finds an application's web server: what differs between Spring Boot lines (Boot 4 moved
 * {@code WebServerApplicationContext}), one bean per line.
 */
@FunctionalInterface
public interface WebServerLookup {

	/**
	 * The application's web server.
	 * @param context a started application context
	 * @return its web server, or {@code null} if it has none this lookup knows
	 */
	@Nullable WebServer find(ApplicationContext context);

}
