package io.knocker.autoconfigure.web;

import java.util.List;

import io.knocker.Door;
import io.knocker.autoconfigure.Knockers;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;

/**
 * Adds the {@code http} door once the application has started, and so its web server: a
 * knock looks into the server's request executor and, when a new request would queue,
 * hands it a no-op and times until it starts: how long a new request waits for a worker
 * thread. {@link Knockers} stops the door as soon as the context starts closing, before
 * the server's graceful shutdown. A listener that adds a door, not a door itself.
 */
public class HttpDoorListener extends ServerDoorListener {

	/** The door's name. */
	public static final String NAME = "http";

	private final List<RequestExecutor> requestExecutors;

	/**
	 * Creates the listener.
	 * @param knockers where to add the door
	 * @param lookups how to find the application's web server, per Spring Boot line
	 * @param requestExecutors how to find each kind of server's request executor
	 */
	public HttpDoorListener(Knockers knockers, List<WebServerLookup> lookups, List<RequestExecutor> requestExecutors) {
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
