package io.knocker.autoconfigure.web;

import java.util.List;

import io.knocker.Door;
import io.knocker.autoconfigure.Knockers;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;

/**
 * Adds the {@code http} door once the application has started, and so its web server: a
 * knock hands the server's request executor a no-op and times until it starts, how long a
 * new request waits for a worker thread. {@link Knockers} stops it as soon as the context
 * starts closing, before the server's graceful shutdown.
 */
public class HttpDoor extends ServerDoor {

	/** The door's name. */
	public static final String NAME = "http";

	private final List<RequestExecutor> requestExecutors;

	/**
	 * Creates the listener.
	 * @param knockers where to add the door
	 * @param lookups how to find the application's web server, per Spring Boot line
	 * @param requestExecutors how to find each kind of server's request executor
	 */
	public HttpDoor(Knockers knockers, List<WebServerLookup> lookups, List<RequestExecutor> requestExecutors) {
		super(NAME, knockers, lookups);
		this.requestExecutors = requestExecutors;
	}

	@Override
	@Nullable Door find(WebServer server) {
		for (RequestExecutor requestExecutor : this.requestExecutors) {
			Door door = requestExecutor.find(server);
			if (door != null) {
				return door;
			}
		}
		return null;
	}

}
