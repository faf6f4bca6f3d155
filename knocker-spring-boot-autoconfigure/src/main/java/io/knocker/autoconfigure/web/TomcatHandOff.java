package io.knocker.autoconfigure.web;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.knocker.autoconfigure.requests.HandOffStamp;
import org.apache.catalina.startup.Tomcat;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.ReflectionUtils;

/**
 * Stamps every hand-off of a request to Tomcat's workers ({@link HandOffStamp}), so that
 * a request's {@code http} wait is its own queue time, exact. Tomcat's own start time is
 * taken on the worker, after the queue, so it cannot serve. Once the server has started,
 * its endpoint's executor is wrapped (Tomcat's {@code AbstractProtocol#getEndpoint} is
 * protected: one reflective call). Tomcat then takes the executor for an external one and
 * no longer shuts it down, so this does, as Tomcat would, once the server has stopped (a
 * lifecycle phase after the server's). Virtual threads' executor is wrapped the same way:
 * the queue is then the wait for a virtual thread to start.
 */
final class TomcatHandOff implements ApplicationListener<ApplicationStartedEvent>, SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TomcatHandOff.class);

	/** After the web server's stop (Boot's is {@code DEFAULT_PHASE - 2048}). */
	private static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final List<WebServerLookup> lookups;

	private final Function<WebServer, @Nullable Tomcat> tomcat;

	private volatile @Nullable AbstractEndpoint<?, ?> endpoint;

	private volatile @Nullable Executor original;

	TomcatHandOff(List<WebServerLookup> lookups, Function<WebServer, @Nullable Tomcat> tomcat) {
		this.lookups = lookups;
		this.tomcat = tomcat;
	}

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		WebServer server = null;
		for (int i = 0; i < this.lookups.size() && server == null; i++) {
			server = this.lookups.get(i).find(event.getApplicationContext());
		}
		Tomcat found = (server != null) ? this.tomcat.apply(server) : null;
		ProtocolHandler handler = (found != null) ? found.getConnector().getProtocolHandler() : null;
		if (!(handler instanceof AbstractProtocol<?> protocol)) {
			return;
		}
		try {
			Method getEndpoint = AbstractProtocol.class.getDeclaredMethod("getEndpoint");
			ReflectionUtils.makeAccessible(getEndpoint);
			AbstractEndpoint<?, ?> endpoint = (AbstractEndpoint<?, ?>) getEndpoint.invoke(protocol);
			Executor executor = endpoint.getExecutor();
			if (executor == null || executor != HandOffStamp.unwrap(executor)) {
				return;
			}
			endpoint.setExecutor(HandOffStamp.stamping(executor));
			this.original = executor;
			this.endpoint = endpoint;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.info("Requests' queue time for a Tomcat worker is not measured: Tomcat's endpoint could not be "
					+ "reached (" + ex + "); the other waits are");
		}
	}

	@Override
	public void start() {
		// Stamping starts once the server has: see onApplicationEvent.
	}

	@Override
	public void stop() {
		AbstractEndpoint<?, ?> endpoint = this.endpoint;
		Executor original = this.original;
		this.endpoint = null;
		this.original = null;
		if (endpoint == null || original == null) {
			return;
		}
		endpoint.setExecutor(original);
		if (original instanceof org.apache.tomcat.util.threads.ThreadPoolExecutor pool) {
			// What Tomcat does for its own pool as the endpoint stops.
			pool.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.endpoint != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
