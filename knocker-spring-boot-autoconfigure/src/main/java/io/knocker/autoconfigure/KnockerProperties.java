package io.knocker.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Knocker: the {@code jvm} knocker's intervals, and the
 * doors to knock on besides it.
 */
@ConfigurationProperties("knocker")
public class KnockerProperties {

	/**
	 * Whether to measure contention: the knockers, the @KnockMeasured interceptor, the
	 * endpoint and the meters.
	 */
	private boolean enabled = true;

	/**
	 * Mean time between knocks, which come at random moments; at least 10us.
	 */
	private Duration pollingInterval = Duration.ofMillis(1);

	/**
	 * Length of each sampling window. Defaults to 10 polling intervals.
	 */
	private Duration samplingInterval;

	/**
	 * Sleep between sampling windows; 0 knocks all the time. Defaults to 100 polling
	 * intervals.
	 */
	private Duration sleepingInterval;

	/**
	 * Longest a knocker's stop waits for its thread. Defaults to the longer of the
	 * sampling and sleeping intervals plus 1ms.
	 */
	private Duration timeout;

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

	public Duration getPollingInterval() {
		return this.pollingInterval;
	}

	public void setPollingInterval(Duration pollingInterval) {
		this.pollingInterval = pollingInterval;
	}

	public Duration getSamplingInterval() {
		return this.samplingInterval;
	}

	public void setSamplingInterval(Duration samplingInterval) {
		this.samplingInterval = samplingInterval;
	}

	public Duration getSleepingInterval() {
		return this.sleepingInterval;
	}

	public void setSleepingInterval(Duration sleepingInterval) {
		this.sleepingInterval = sleepingInterval;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
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
	 * A door to knock on: a bean, and intervals that default to the jvm knocker's.
	 */
	public static class DoorProperties {

		/**
		 * Name of the singleton bean to knock on: a Lock, ReadWriteLock, Semaphore,
		 * Executor, or any other object, whose monitor is knocked on.
		 */
		private String bean;

		/**
		 * Time between knocks, on average. Defaults to knocker.polling-interval.
		 */
		private Duration pollingInterval;

		/**
		 * Length of each sampling window. Defaults to knocker.sampling-interval.
		 */
		private Duration samplingInterval;

		/**
		 * Sleep between sampling windows; 0 knocks all the time. Defaults to
		 * knocker.sleeping-interval.
		 */
		private Duration sleepingInterval;

		/**
		 * Longest a stop waits for the knocker's thread. Defaults to knocker.timeout.
		 */
		private Duration timeout;

		public String getBean() {
			return this.bean;
		}

		public void setBean(String bean) {
			this.bean = bean;
		}

		public Duration getPollingInterval() {
			return this.pollingInterval;
		}

		public void setPollingInterval(Duration pollingInterval) {
			this.pollingInterval = pollingInterval;
		}

		public Duration getSamplingInterval() {
			return this.samplingInterval;
		}

		public void setSamplingInterval(Duration samplingInterval) {
			this.samplingInterval = samplingInterval;
		}

		public Duration getSleepingInterval() {
			return this.sleepingInterval;
		}

		public void setSleepingInterval(Duration sleepingInterval) {
			this.sleepingInterval = sleepingInterval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
