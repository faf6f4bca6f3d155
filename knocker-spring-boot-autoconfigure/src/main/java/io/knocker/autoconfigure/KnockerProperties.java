package io.knocker.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Knocker: the {@code jvm} knocker's intervals, and the
 * doors to knock on besides it.
 */
@ConfigurationProperties("knocker")
public class KnockerProperties extends KnockingProperties {

	/**
	 * Whether to measure contention: the knockers, the @KnockMeasured interceptor, the
	 * endpoint and the meters.
	 */
	private boolean enabled = true;

	/**
	 * Doors to knock on besides the jvm, by name.
	 */
	private final Map<String, DoorProperties> doors = new LinkedHashMap<>();

	private final AutoDoors autoDoors = new AutoDoors();

	private final Holders holders = new Holders();

	private final Requests requests = new Requests();

	/**
	 * The {@code enabled} property.
	 * @return its value
	 */
	public boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Sets the {@code enabled} property.
	 * @param enabled its value
	 */
	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	/**
	 * The {@code doors} property.
	 * @return its value
	 */
	public Map<String, DoorProperties> getDoors() {
		return this.doors;
	}

	/**
	 * The {@code auto-doors} property.
	 * @return its value
	 */
	public AutoDoors getAutoDoors() {
		return this.autoDoors;
	}

	/**
	 * The {@code holders} property.
	 * @return its value
	 */
	public Holders getHolders() {
		return this.holders;
	}

	/**
	 * The {@code requests} property.
	 * @return its value
	 */
	public Requests getRequests() {
		return this.requests;
	}

	/**
	 * Following every web request: where it waited, door by door, per endpoint.
	 */
	public static class Requests {

		/**
		 * Whether to book, for every HTTP request, the time it waited at each door.
		 */
		private boolean enabled = true;

		/**
		 * Most endpoints booked apart; requests to further endpoints are booked under one
		 * endpoint, OTHER, in the endpoint and the meters alike.
		 */
		private int maxEndpoints = 100;

		/**
		 * Longest a request's observation may stay open: a request that never ends is
		 * then booked as it stood, once.
		 */
		private Duration maxOpen = Duration.ofMinutes(10);

		/**
		 * The {@code enabled} property.
		 * @return its value
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets the {@code enabled} property.
		 * @param enabled its value
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * The {@code max-endpoints} property.
		 * @return its value
		 */
		public int getMaxEndpoints() {
			return this.maxEndpoints;
		}

		/**
		 * Sets the {@code max-endpoints} property.
		 * @param maxEndpoints its value
		 */
		public void setMaxEndpoints(int maxEndpoints) {
			this.maxEndpoints = maxEndpoints;
		}

		/**
		 * The {@code max-open} property.
		 * @return its value
		 */
		public Duration getMaxOpen() {
			return this.maxOpen;
		}

		/**
		 * Sets the {@code max-open} property.
		 * @param maxOpen its value
		 */
		public void setMaxOpen(Duration maxOpen) {
			this.maxOpen = maxOpen;
		}

	}

	/**
	 * Sampling who holds a busy lock or monitor door.
	 */
	public static class Holders {

		/**
		 * Whether to sample who holds a lock or monitor door when a knock finds it busy.
		 */
		private boolean enabled = true;

		/**
		 * Most holder samples a second, per door; each is a thread dump of two threads.
		 */
		// A literal, so that the metadata (and the IDE) show the default; it is
		// KnockSettings.DEFAULT_HOLDER_SAMPLES_PER_SECOND, which a test checks.
		private double maxSamplesPerSecond = 2;

		/**
		 * The {@code enabled} property.
		 * @return its value
		 */
		public boolean isEnabled() {
			return this.enabled;
		}

		/**
		 * Sets the {@code enabled} property.
		 * @param enabled its value
		 */
		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		/**
		 * The {@code max-samples-per-second} property.
		 * @return its value
		 */
		public double getMaxSamplesPerSecond() {
			return this.maxSamplesPerSecond;
		}

		/**
		 * Sets the {@code max-samples-per-second} property.
		 * @param maxSamplesPerSecond its value
		 */
		public void setMaxSamplesPerSecond(double maxSamplesPerSecond) {
			this.maxSamplesPerSecond = maxSamplesPerSecond;
		}

	}

	/**
	 * Doors the application already has, knocked on without configuration.
	 */
	public static class AutoDoors {

		/**
		 * Whether to knock on the embedded web server's request thread pool (Tomcat,
		 * Jetty), as door 'http', from when the server has started.
		 */
		private boolean http = true;

		/**
		 * Whether to knock on every ThreadPoolTaskExecutor and ThreadPoolTaskScheduler
		 * bean, as a door named after the bean.
		 */
		private boolean taskExecutors = true;

		/**
		 * Whether to knock on the JDK's virtual-thread scheduler, as door
		 * 'virtual-threads', when spring.threads.virtual.enabled is true (JDK 21 and
		 * later).
		 */
		private boolean virtualThreads = true;

		/**
		 * Whether to knock on the Reactor Netty server's event loops, as door
		 * 'event-loop', in a WebFlux application.
		 */
		private boolean eventLoop = true;

		/**
		 * Whether to knock on every pooled DataSource bean (HikariCP, Tomcat JDBC, and
		 * the pools Spring Boot's pool metadata knows, also behind Spring's wrappers), as
		 * a door named after the bean, of kind 'connection-pool'.
		 */
		private boolean dataSources = true;

		/**
		 * The {@code data-sources} property.
		 * @return its value
		 */
		public boolean isDataSources() {
			return this.dataSources;
		}

		/**
		 * Sets the {@code data-sources} property.
		 * @param dataSources its value
		 */
		public void setDataSources(boolean dataSources) {
			this.dataSources = dataSources;
		}

		/**
		 * The {@code event-loop} property.
		 * @return its value
		 */
		public boolean isEventLoop() {
			return this.eventLoop;
		}

		/**
		 * Sets the {@code event-loop} property.
		 * @param eventLoop its value
		 */
		public void setEventLoop(boolean eventLoop) {
			this.eventLoop = eventLoop;
		}

		/**
		 * The {@code http} property.
		 * @return its value
		 */
		public boolean isHttp() {
			return this.http;
		}

		/**
		 * Sets the {@code http} property.
		 * @param http its value
		 */
		public void setHttp(boolean http) {
			this.http = http;
		}

		/**
		 * The {@code task-executors} property.
		 * @return its value
		 */
		public boolean isTaskExecutors() {
			return this.taskExecutors;
		}

		/**
		 * Sets the {@code task-executors} property.
		 * @param taskExecutors its value
		 */
		public void setTaskExecutors(boolean taskExecutors) {
			this.taskExecutors = taskExecutors;
		}

		/**
		 * The {@code virtual-threads} property.
		 * @return its value
		 */
		public boolean isVirtualThreads() {
			return this.virtualThreads;
		}

		/**
		 * Sets the {@code virtual-threads} property.
		 * @param virtualThreads its value
		 */
		public void setVirtualThreads(boolean virtualThreads) {
			this.virtualThreads = virtualThreads;
		}

	}

	/**
	 * A door to knock on: a bean, and intervals that default to its own polling
	 * interval's, then the top level's.
	 */
	public static class DoorProperties extends KnockingProperties {

		/**
		 * Name of the singleton bean to knock on: a Lock, ReadWriteLock, Semaphore,
		 * Executor, pooled DataSource, Door, or, with kind 'monitor', any object.
		 */
		private @Nullable String bean;

		/**
		 * How to knock on the bean. Inferred for a Lock, ReadWriteLock, Semaphore,
		 * Executor or DataSource; any other object needs 'monitor' written out, for an
		 * object the application synchronizes on.
		 */
		private @Nullable DoorKind kind;

		/**
		 * The {@code bean} property.
		 * @return its value
		 */
		public @Nullable String getBean() {
			return this.bean;
		}

		/**
		 * Sets the {@code bean} property.
		 * @param bean its value
		 */
		public void setBean(@Nullable String bean) {
			this.bean = bean;
		}

		/**
		 * The {@code kind} property.
		 * @return its value
		 */
		public @Nullable DoorKind getKind() {
			return this.kind;
		}

		/**
		 * Sets the {@code kind} property.
		 * @param kind its value
		 */
		public void setKind(@Nullable DoorKind kind) {
			this.kind = kind;
		}

	}

}
