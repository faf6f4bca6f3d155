package io.knocker.autoconfigure.web;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Spring Boot 4's web server lookup.
 */
final class Boot4WebServerLookup implements WebServerLookup {

	@Override
	public @Nullable WebServer find(ApplicationContext context) {
		return (context instanceof WebServerApplicationContext web) ? web.getWebServer() : null;
	}

}
