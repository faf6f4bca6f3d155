package io.knocker.autoconfigure.web;

import java.util.concurrent.Executor;

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
public class EventLoopDoor extends ServerDoor {

	/** The door's name. */
	public static final String NAME = "event-loop";

	private final ObjectProvider<ReactorResourceFactory> resources;

	/**
	 * Creates the listener.
	 * @param knockers where to add the door
	 * @param resources the Reactor Netty resources the server runs on
	 */
	public EventLoopDoor(Knockers knockers, ObjectProvider<ReactorResourceFactory> resources) {
		super(NAME, knockers);
		this.resources = resources;
	}

	@Override
	@Nullable Executor find(WebServer server) {
		ReactorResourceFactory resources = this.resources.getIfAvailable();
		if (resources == null || !server.getClass().getSimpleName().startsWith("Netty")) {
			return null;
		}
		return resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE);
	}

}
