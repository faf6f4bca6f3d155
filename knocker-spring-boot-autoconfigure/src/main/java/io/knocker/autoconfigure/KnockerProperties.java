package io.knocker.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

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

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, DoorProperties> getDoors() {
		return this.doors;
	}

	public AutoDoors getAutoDoors() {
		return this.autoDoors;
	}

	public Holders getHolders() {
		return this.holders;
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
		private double maxSamplesPerSecond = 2;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public double getMaxSamplesPerSecond() {
			return this.maxSamplesPerSecond;
		}

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
		 * Whether to knock on every pooled DataSource bean (HikariCP, also behind
		 * Spring's wrappers), as a door named after the bean, of kind 'connection-pool'.
		 */
		private boolean dataSources = true;

		public boolean isDataSources() {
			return this.dataSources;
		}

		public void setDataSources(boolean dataSources) {
			this.dataSources = dataSources;
		}

		public boolean isEventLoop() {
			return this.eventLoop;
		}

		public void setEventLoop(boolean eventLoop) {
			this.eventLoop = eventLoop;
		}

		public boolean isHttp() {
			return this.http;
		}

		public void setHttp(boolean http) {
			this.http = http;
		}

		public boolean isTaskExecutors() {
			return this.taskExecutors;
		}

		public void setTaskExecutors(boolean taskExecutors) {
			this.taskExecutors = taskExecutors;
		}

		public boolean isVirtualThreads() {
			return this.virtualThreads;
		}

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
		 * Executor, DataSource (HikariCP), Door, or, with kind 'monitor', any object.
		 */
		private String bean;

		/**
		 * How to knock on the bean. Inferred for a Lock, ReadWriteLock, Semaphore,
		 * Executor or DataSource; any other object needs 'monitor' written out, for an
		 * object the application synchronizes on.
		 */
		private DoorKind kind;

		public String getBean() {
			return this.bean;
		}

		public void setBean(String bean) {
			this.bean = bean;
		}

		public DoorKind getKind() {
			return this.kind;
		}

		public void setKind(DoorKind kind) {
			this.kind = kind;
		}

	}

}
