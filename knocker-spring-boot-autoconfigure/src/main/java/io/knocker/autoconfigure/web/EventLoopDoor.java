package io.knocker.autoconfigure.web;

import io.knocker.Doors;
import io.knocker.autoconfigure.Knockers;
import io.netty.channel.EventLoopGroup;
import reactor.netty.resources.LoopResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Adds the {@code event-loop} door once a WebFlux application on Reactor Netty has
 * started: a knock schedules a no-op on the server's event loops (one after another) and
 * times until it runs. A loop that a blocking call holds makes its knocks wait:
 * event-loop lag, the figure Node.js users watch.
 */
public class EventLoopDoor implements ApplicationListener<ApplicationStartedEvent> {

	/** The door's name. */
	public static final String NAME = "event-loop";

	private final Knockers knockers;

	private final ObjectProvider<ReactorResourceFactory> resources;

	/**
	 * Creates the listener.
	 * @param knockers where to add the door
	 * @param resources the Reactor Netty resources the server runs on
	 */
	public EventLoopDoor(Knockers knockers, ObjectProvider<ReactorResourceFactory> resources) {
		this.knockers = knockers;
		this.resources = resources;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		if (!(event.getApplicationContext() instanceof WebServerApplicationContext context)
				|| this.knockers.get(NAME) != null) {
			return;
		}
		WebServer server = context.getWebServer();
		ReactorResourceFactory resources = this.resources.getIfAvailable();
		if (server == null || resources == null || !server.getClass().getSimpleName().startsWith("Netty")) {
			return;
		}
		EventLoopGroup loops = resources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE);
		this.knockers.addDoor(NAME, Doors.executor(loops));
	}

}
