package io.knocker.autoconfigure.web;

import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.WebServer;

/**
 * Finds the executor a kind of web server runs its requests on.
 */
@FunctionalInterface
public interface RequestExecutor {

	/**
	 * The server's request executor.
	 * @param server a started web server
	 * @return its request executor, or {@code null} if it is not this kind of server
	 */
	@Nullable Executor find(WebServer server);

}
