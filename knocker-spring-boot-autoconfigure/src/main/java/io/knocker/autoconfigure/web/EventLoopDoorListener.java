package io.knocker.autoconfigure.web;

import java.util.List;
import java.util.Set;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.autoconfigure.Knockers;
import org.jspecify.annotations.Nullable;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.WebServer;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Adds the {@code event-loop} door once a WebFlux application on Reactor Netty has
 * started: a knock schedules a no-op on the server's event loops (one after another) and
 * times until it runs. A loop that a blocking call holds makes its knocks wait:
 * event-loop lag, the figure Node.js users watch.
 */
public class EventLoopDoorListener extends ServerDoorListener {

	/** The door's name. */
	public static final String NAME = "event-loop";

	/** Spring Boot's Reactor Netty server: Boot 4's, then Boot 3.5's. */
	private static final Set<String> NETTY_SERVERS = Set.of("org.springframework.boot.reactor.netty.NettyWebServer",
			"org.springframework.boot.web.embedded.netty.NettyWebServer");

	private final ObjectProvider<ReactorResourceFactory> resources;

	/**
	 * Creates the listener.
	 * @param knockers where to add the door
	 * @param lookups how to find the application's web server, per Spring Boot line
	 * @param resources the Reactor Netty resources the server runs on
	 */
	public EventLoopDoorListener(Knockers knockers, List<WebServerLookup> lookups,
			ObjectProvider<ReactorResourceFactory> resources) {
		super(NAME, knockers, lookups);
		this.resources = resources;
	}

	@Override
	@Nullable Door find(WebServer server) {
		ReactorResourceFactory resources = this.resources.getIfAvailable();
		if (resources == null || !NETTY_SERVERS.contains(server.getClass().getName())) {
			return null;
		}
		return Doors.executor(resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE));
	}

}
