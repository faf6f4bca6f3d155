package io.knocker.autoconfigure.web;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import io.knocker.autoconfigure.requests.HandOffStamp;
import org.apache.catalina.Container;
import org.apache.catalina.Engine;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.threads.ResizableExecutor;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationListener;
import org.springframework.util.ReflectionUtils;

/**
 * Stamps every hand-off of a request to Tomcat's workers ({@link HandOffStamp}), so that
 * a request's {@code http} wait is its own queue time, exact. Tomcat's own start time is
 * taken on the worker, after the queue, so it cannot serve.
 * <p>
 * Tomcat builds its worker pool as each connector starts and shuts it down as the
 * connector stops (a context stop and start, checkpoint and restore, pause and resume).
 * So each connector gets a listener (through a context listener on the server's factory,
 * called by name, so that the same class serves Spring Boot 3.5's factories and 4's):
 * just before the connector starts, it builds the pool Tomcat would build, with the same
 * settings, as a {@link ThreadPoolExecutor} that stamps each task it is handed, and gives
 * it to the endpoint as Tomcat's own ({@code internalExecutor}, one reflective write).
 * Tomcat then meters, resizes, drains and shuts it down as its own, and builds nothing in
 * its stead. Virtual threads' executor is stamped as it is: the queue is then the wait
 * for a virtual thread to start. Where Tomcat's internals differ, or the connector runs
 * on a pool of the application's that Tomcat's meters read, the pool is left as it is and
 * one info line says so.
 */
final class TomcatHandOff
		implements WebServerFactoryCustomizer<WebServerFactory>, ApplicationListener<ApplicationStartedEvent> {

	private static final Log logger = LogFactory.getLog(TomcatHandOff.class);

	private final List<WebServerLookup> lookups;

	private final Function<WebServer, @Nullable Tomcat> tomcat;

	private final LifecycleListener connectorStarting = this::connectorEvent;

	private final LifecycleListener contextStarting = this::contextEvent;

	private final AtomicBoolean told = new AtomicBoolean();

	TomcatHandOff(List<WebServerLookup> lookups, Function<WebServer, @Nullable Tomcat> tomcat) {
		this.lookups = lookups;
		this.tomcat = tomcat;
	}

	@Override
	public void customize(WebServerFactory factory) {
		Method add = ReflectionUtils.findMethod(factory.getClass(), "addContextLifecycleListeners",
				LifecycleListener[].class);
		if (add != null) {
			ReflectionUtils.invokeMethod(add, factory, (Object) new LifecycleListener[] { this.contextStarting });
		}
	}

	/** Once the server has started, says so if a connector of its runs unstamped. */
	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		WebServer server = null;
		for (int i = 0; i < this.lookups.size() && server == null; i++) {
			server = this.lookups.get(i).find(event.getApplicationContext());
		}
		Tomcat found = (server != null) ? this.tomcat.apply(server) : null;
		if (found == null) {
			return;
		}
		for (Connector connector : found.getService().findConnectors()) {
			Executor executor = connector.getProtocolHandler().getExecutor();
			if (executor != null && !stamps(executor)) {
				tell("its connector " + connector + " started without Knocker seeing it start");
			}
		}
	}

	/**
	 * As the application's context starts, before the connectors (Spring Boot takes them
	 * out of the service then and puts them back as the web server starts).
	 */
	private void contextEvent(LifecycleEvent event) {
		if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType())
				|| !(event.getLifecycle() instanceof Container container)) {
			return;
		}
		while (container != null && !(container instanceof Engine)) {
			container = container.getParent();
		}
		Service service = (container != null) ? ((Engine) container).getService() : null;
		if (service == null) {
			return;
		}
		for (Connector connector : service.findConnectors()) {
			if (!Arrays.asList(connector.findLifecycleListeners()).contains(this.connectorStarting)) {
				connector.addLifecycleListener(this.connectorStarting);
			}
		}
	}

	/** Before each start of a connector, before its endpoint would build its pool. */
	private void connectorEvent(LifecycleEvent event) {
		if (Lifecycle.BEFORE_START_EVENT.equals(event.getType()) && event.getLifecycle() instanceof Connector connector
				&& connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol) {
			stamp(protocol);
		}
	}

	private void stamp(AbstractProtocol<?> protocol) {
		try {
			// Protected: one reflective call.
			Method getEndpoint = AbstractProtocol.class.getDeclaredMethod("getEndpoint");
			ReflectionUtils.makeAccessible(getEndpoint);
			AbstractEndpoint<?, ?> endpoint = (AbstractEndpoint<?, ?>) getEndpoint.invoke(protocol);
			Field internal = AbstractEndpoint.class.getDeclaredField("internalExecutor");
			ReflectionUtils.makeAccessible(internal);
			Executor executor = endpoint.getExecutor();
			if (executor == null && internal.getBoolean(endpoint)) {
				install(endpoint, internal);
			}
			else if (executor != null && !stamps(executor)) {
				if (internal.getBoolean(endpoint) || executor instanceof ThreadPoolExecutor
						|| executor instanceof java.util.concurrent.ThreadPoolExecutor
						|| executor instanceof ResizableExecutor) {
					// Its meters read that pool: a wrapper would blind them.
					tell("its connector's pool, which Tomcat's thread meters read, was built before Knocker saw it");
				}
				else {
					// Virtual threads' or the application's own: outside Tomcat's meters
					// already, never shut down by Tomcat, so the wrapper outlives a stop.
					endpoint.setExecutor(HandOffStamp.stamping(executor));
				}
			}
		}
		catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
			tell("Tomcat's endpoint could not be reached (" + ex + ")");
		}
	}

	/**
	 * Builds the pool the endpoint would build as it starts ({@code createExecutor}), but
	 * stamping, and hands it over as the endpoint's own.
	 */
	private static void install(AbstractEndpoint<?, ?> endpoint, Field internal) throws IllegalAccessException {
		ThreadPoolExecutor pool = null;
		if (endpoint.getUseVirtualThreads()) {
			// Tomcat reads no meter off its virtual threads and never shuts them down.
			endpoint.createExecutor();
			endpoint.setExecutor(HandOffStamp.stamping(endpoint.getExecutor()));
		}
		else {
			TaskQueue queue = new TaskQueue(endpoint.getMaxQueueSize());
			pool = new StampingThreadPool(endpoint.getMinSpareThreads(), endpoint.getMaxThreads(),
					endpoint.getThreadsMaxIdleTime(), queue, new TaskThreadFactory(endpoint.getName() + "-exec-",
							endpoint.getDaemon(), endpoint.getThreadPriority()));
			queue.setParent(pool);
			endpoint.setExecutor(pool);
		}
		try {
			// setExecutor took it for an external one.
			internal.setBoolean(endpoint, true);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			// Tomcat builds its own as it starts.
			endpoint.setExecutor(null);
			if (pool != null) {
				pool.shutdownNow();
			}
			throw ex;
		}
	}

	private static boolean stamps(Executor executor) {
		return executor instanceof StampingThreadPool || HandOffStamp.unwrap(executor) != executor;
	}

	private void tell(String why) {
		if (this.told.compareAndSet(false, true)) {
			logger.info("Requests' queue time for a Tomcat worker is not measured: " + why + "; the other waits are");
		}
	}

	/** Tomcat's pool, stamping each task it is handed. */
	static final class StampingThreadPool extends ThreadPoolExecutor {

		StampingThreadPool(int core, int max, int idleMillis, TaskQueue queue, ThreadFactory threads) {
			super(core, max, idleMillis, TimeUnit.MILLISECONDS, queue, threads);
		}

		@Override
		public void execute(Runnable task) {
			super.execute(HandOffStamp.stamped(task));
		}

	}

}
