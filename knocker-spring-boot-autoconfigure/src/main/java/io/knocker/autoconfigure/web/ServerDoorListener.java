package io.knocker.autoconfigure.web;

import java.util.List;

import io.knocker.Door;
import io.knocker.autoconfigure.Knockers;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ApplicationListener;

/**
 * Adds a door on an executor of the web server's, once the application (and so its
 * server) has started. {@link Knockers} stops it as soon as the context starts closing,
 * before the server's graceful shutdown.
 */
abstract class ServerDoorListener implements ApplicationListener<ApplicationStartedEvent> {

	private final String name;

	private final Knockers knockers;

	private final List<WebServerLookup> lookups;

	ServerDoorListener(String name, Knockers knockers, List<WebServerLookup> lookups) {
		this.name = name;
		this.knockers = knockers;
		this.lookups = lookups;
	}

	@Override
	public final void onApplicationEvent(ApplicationStartedEvent event) {
		if (this.knockers.get(this.name) != null) {
			return;
		}
		WebServer server = null;
		for (int i = 0; i < this.lookups.size() && server == null; i++) {
			server = this.lookups.get(i).find(event.getApplicationContext());
		}
		Door door = (server != null) ? find(server) : null;
		if (door != null) {
			this.knockers.addDoor(this.name, door);
		}
	}

	/**
	 * The door on the server's executor, if this server has one of the kind.
	 * @param server the started server
	 * @return the door, or {@code null}
	 */
	abstract @Nullable Door find(WebServer server);

}
