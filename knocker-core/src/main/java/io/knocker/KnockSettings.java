package io.knocker;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A knocker's settings, resolved and valid: the one place that holds gilknocker's
 * defaults and rules (sampling 10 and sleeping 100 polling intervals, a timeout of the
 * longer of the two plus 1 ms), the name rule and the holder rate. Made by
 * {@link KnockKnock.Builder#settings()}; {@link #toBuilder()} gives a builder that makes
 * these settings again, so that nothing builds a knocker to learn a default.
 *
 * @param name the knocker's name: letters, digits, '.', '_', '-', starting with a letter
 * or digit
 * @param pollingInterval the mean time between knocks, at least 10 µs
 * @param samplingInterval how long each sampling window lasts, at least the polling
 * interval
 * @param sleepingInterval the sleep between sampling windows; zero never sleeps
 * @param timeout how long a stop waits for a knock under way to end
 * @param holderSamplesPerSecond how often, at most, a busy lock or monitor door's holder
 * is sampled; 0 for never
 */
public record KnockSettings(String name, Duration pollingInterval, Duration samplingInterval, Duration sleepingInterval,
		Duration timeout, double holderSamplesPerSecond) {

	/** gilknocker's polling interval, 1 ms. */
	public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofMillis(1);

	/** Holder samples a second, per door, unless set. */
	public static final double DEFAULT_HOLDER_SAMPLES_PER_SECOND = 2;

	/** The default knocker's name, the JVM door's. */
	public static final String DEFAULT_NAME = "jvm";

	private static final Duration MIN_POLLING_INTERVAL = Duration.ofNanos(10_000);

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	private static final Pattern NOT_IN_NAME = Pattern.compile("[^A-Za-z0-9._-]+");

	/**
	 * Checks the settings.
	 * @param name the knocker's name
	 * @param pollingInterval the mean time between knocks
	 * @param samplingInterval how long each sampling window lasts
	 * @param sleepingInterval the sleep between sampling windows
	 * @param timeout how long a stop waits for a knock under way to end
	 * @param holderSamplesPerSecond holder samples a second, at most; 0 for never
	 * @throws InvalidSettingException (an IllegalArgumentException) naming the first
	 * invalid setting and its value
	 */
	public KnockSettings {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new InvalidSettingException("name", (name != null) ? "'" + name + "'" : null,
					"start with a letter or digit and hold only letters, digits, '.', '_' or '-'");
		}
		positive("pollingInterval", pollingInterval);
		if (pollingInterval.compareTo(MIN_POLLING_INTERVAL) < 0) {
			throw new InvalidSettingException("pollingInterval", pollingInterval,
					"be at least 10us: shorter, the knocks cost a core and measure their own overhead");
		}
		positive("samplingInterval", samplingInterval);
		if (samplingInterval.compareTo(pollingInterval) < 0) {
			throw new InvalidSettingException("samplingInterval", samplingInterval,
					"be at least pollingInterval (" + pollingInterval + ")");
		}
		if (sleepingInterval == null || sleepingInterval.isNegative()) {
			throw new InvalidSettingException("sleepingInterval", sleepingInterval, "be zero or a positive duration");
		}
		positive("timeout", timeout);
		if (holderSamplesPerSecond < 0 || Double.isNaN(holderSamplesPerSecond)) {
			throw new InvalidSettingException("holderSamplesPerSecond", holderSamplesPerSecond,
					"be zero (off) or a positive rate");
		}
	}

	/**
	 * gilknocker's sampling interval for a polling interval: ten of them.
	 * @param pollingInterval the polling interval
	 * @return the default sampling interval
	 */
	public static Duration defaultSamplingInterval(Duration pollingInterval) {
		return pollingInterval.multipliedBy(10);
	}

	/**
	 * gilknocker's sleeping interval for a polling interval: a hundred of them.
	 * @param pollingInterval the polling interval
	 * @return the default sleeping interval
	 */
	public static Duration defaultSleepingInterval(Duration pollingInterval) {
		return pollingInterval.multipliedBy(100);
	}

	/**
	 * gilknocker's timeout: the longer of the sampling and sleeping intervals, plus 1 ms.
	 * @param samplingInterval the sampling interval
	 * @param sleepingInterval the sleeping interval
	 * @return the default timeout
	 */
	public static Duration defaultTimeout(Duration samplingInterval, Duration sleepingInterval) {
		Duration longer = (samplingInterval.compareTo(sleepingInterval) >= 0) ? samplingInterval : sleepingInterval;
		return longer.plusMillis(1);
	}

	/**
	 * A valid knocker name made from any text, such as a bean's name: each run of
	 * characters a name cannot hold becomes '-', and a name that would not start with a
	 * letter or digit is prefixed with {@code door}.
	 * @param text the text, not empty
	 * @return a valid name
	 */
	public static String nameOf(String text) {
		String name = NOT_IN_NAME.matcher(text).replaceAll("-");
		return (!name.isEmpty() && Character.isLetterOrDigit(name.charAt(0))) ? name : "door" + name;
	}

	/**
	 * A builder that makes these settings again, to change some of them. Intervals are
	 * carried over as they are, not as rules: change the polling interval and set the
	 * others anew to follow it.
	 * @return a new builder, with the JVM door
	 */
	public KnockKnock.Builder toBuilder() {
		return KnockKnock.builder()
			.name(this.name)
			.pollingInterval(this.pollingInterval)
			.samplingInterval(this.samplingInterval)
			.sleepingInterval(this.sleepingInterval)
			.timeout(this.timeout)
			.holderSamplesPerSecond(this.holderSamplesPerSecond);
	}

	private static void positive(String setting, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new InvalidSettingException(setting, value, "be a positive duration");
		}
	}

}
