package io.knocker.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A knocker's intervals, as written at the top level ({@code knocker.*}, the {@code jvm}
 * door and every automatic door) and per door ({@code knocker.doors.<name>.*}). Unset
 * values follow gilknocker's rule from the polling interval set at the same level, then
 * the top level's; the defaults themselves live in {@link io.knocker.KnockSettings}.
 */
public abstract class KnockingProperties {

	/**
	 * Mean time between knocks, which come at random moments; at least 10us. Defaults to
	 * 1ms at the top level; for a door, to the top level's.
	 */
	private @Nullable Duration pollingInterval;

	/**
	 * Length of each sampling window. Defaults to 10 polling intervals of the same level;
	 * for a door without a polling interval of its own, to the top level's.
	 */
	private @Nullable Duration samplingInterval;

	/**
	 * Sleep between sampling windows; 0 knocks all the time. Defaults to 100 polling
	 * intervals of the same level; for a door without a polling interval of its own, to
	 * the top level's.
	 */
	private @Nullable Duration sleepingInterval;

	/**
	 * Longest a knocker's stop waits for its thread. Defaults to the longer of the
	 * sampling and sleeping intervals plus 1ms.
	 */
	private @Nullable Duration timeout;

	/**
	 * The {@code polling-interval} property.
	 * @return its value
	 */
	public @Nullable Duration getPollingInterval() {
		return this.pollingInterval;
	}

	/**
	 * Sets the {@code polling-interval} property.
	 * @param pollingInterval its value
	 */
	public void setPollingInterval(@Nullable Duration pollingInterval) {
		this.pollingInterval = pollingInterval;
	}

	/**
	 * The {@code sampling-interval} property.
	 * @return its value
	 */
	public @Nullable Duration getSamplingInterval() {
		return this.samplingInterval;
	}

	/**
	 * Sets the {@code sampling-interval} property.
	 * @param samplingInterval its value
	 */
	public void setSamplingInterval(@Nullable Duration samplingInterval) {
		this.samplingInterval = samplingInterval;
	}

	/**
	 * The {@code sleeping-interval} property.
	 * @return its value
	 */
	public @Nullable Duration getSleepingInterval() {
		return this.sleepingInterval;
	}

	/**
	 * Sets the {@code sleeping-interval} property.
	 * @param sleepingInterval its value
	 */
	public void setSleepingInterval(@Nullable Duration sleepingInterval) {
		this.sleepingInterval = sleepingInterval;
	}

	/**
	 * The {@code timeout} property.
	 * @return its value
	 */
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * Sets the {@code timeout} property.
	 * @param timeout its value
	 */
	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

}
