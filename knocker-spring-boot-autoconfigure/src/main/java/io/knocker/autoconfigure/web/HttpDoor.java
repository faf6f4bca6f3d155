package io.knocker.autoconfigure.web;

import java.util.List;
import java.util.concurrent.Executor;

import io.knocker.Doors;
import io.knocker.autoconfigure.Knockers;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * Adds the {@code http} door once the application has started, and so its web server: a
 * knock hands the server's request executor a no-op and times until it starts, how long a
 * new request waits for a worker thread. {@link Knockers} stops it as soon as the context
 * starts closing, before the server's graceful shutdown.
 */
public class HttpDoor implements ApplicationListener<ApplicationStartedEvent> {

	/** The door's name. */
	public static final String NAME = "http";

	private final Knockers knockers;

	private final List<RequestExecutor> requestExecutors;

	/**
	 * Creates the listener.
	 * @param knockers where to add the door
	 * @param requestExecutors how to find each kind of server's request executor
	 */
	public HttpDoor(Knockers knockers, List<RequestExecutor> requestExecutors) {
		this.knockers = knockers;
		this.requestExecutors = requestExecutors;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		if (!(event.getApplicationContext() instanceof WebServerApplicationContext context)
				|| this.knockers.get(NAME) != null) {
			return;
		}
		WebServer server = context.getWebServer();
		if (server == null) {
			return;
		}
		for (RequestExecutor requestExecutor : this.requestExecutors) {
			Executor executor = requestExecutor.find(server);
			if (executor != null) {
				this.knockers.addDoor(NAME, Doors.executor(executor));
				return;
			}
		}
	}

}
