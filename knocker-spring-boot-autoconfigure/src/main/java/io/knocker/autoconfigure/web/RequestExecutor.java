package io.knocker.autoconfigure.web;

import io.knocker.Door;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;

/**
 * Finds the executor a kind of web server runs its requests on, as a door.
 */
@FunctionalInterface
public interface RequestExecutor {

	/**
	 * The door on the server's request executor.
	 * @param server a started web server
	 * @return the door, or {@code null} if it is not this kind of server
	 */
	@Nullable Door find(WebServer server);

}
