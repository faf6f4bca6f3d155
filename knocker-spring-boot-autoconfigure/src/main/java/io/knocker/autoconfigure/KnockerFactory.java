package io.knocker.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.InvalidSettingException;
import io.knocker.KnockKnock;
import io.knocker.KnockSettings;
import io.knocker.autoconfigure.KnockerProperties.DoorProperties;
import io.knocker.autoconfigure.pool.DataSourcePools;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Builds knockers from {@link KnockerProperties}: their settings at the top level and per
 * door, every invalid value turned into a {@link KnockerConfigurationException} that
 * names its property. What a door's bean becomes is {@link BeanDoors}'s job; the doors
 * found without configuration are {@link AutoDoors}'.
 */
final class KnockerFactory {

	private static final Pattern ISO_DURATION = Pattern.compile("-?PT[-0-9.HMS]+");

	private static final Pattern SETTING = Pattern.compile("\\b(pollingInterval|samplingInterval|sleepingInterval)\\b");

	private KnockerFactory() {
	}

	/**
	 * The top-level settings: the {@code jvm} knocker's, and every automatic door's but
	 * for the name.
	 */
	static KnockSettings defaults(KnockerProperties properties) {
		return settings("jvm", defaultsBuilder(properties), null);
	}

	/** The {@code jvm} knocker, from the top-level properties. */
	static KnockKnock jvm(KnockerProperties properties) {
		return defaults(properties).toBuilder().door(Doors.jvm()).build();
	}

	/**
	 * One knocker for each entry of {@code knocker.doors}, knocking on the bean it names.
	 */
	static List<KnockKnock> doors(KnockerProperties properties, BeanFactory beans, DataSourcePools pools) {
		KnockKnock.Builder defaults = defaultsBuilder(properties);
		List<KnockKnock> knockers = new ArrayList<>();
		for (Map.Entry<String, DoorProperties> entry : properties.getDoors().entrySet()) {
			String name = entry.getKey();
			DoorProperties door = entry.getValue();
			notJvm(name, door);
			Door target = BeanDoors.door("knocker.doors." + name, door.getBean(), door.getKind(), beans, pools);
			KnockSettings settings = settings(name, applied(defaults.copy(), door), door);
			knockers.add(settings.toBuilder().door(target).build());
		}
		return knockers;
	}

	/**
	 * Checks every value that needs no bean created: the intervals, top level and per
	 * door, the doors' names, that each door's bean exists, the holder rate and the
	 * requests' bounds. Reports the first bad one as the knockers would.
	 * @param beans the bean definitions, whose beans need not exist yet
	 */
	static void check(KnockerProperties properties, ListableBeanFactory beans) {
		KnockKnock.Builder defaults = defaultsBuilder(properties);
		settings("jvm", defaults.copy(), null);
		for (Map.Entry<String, DoorProperties> entry : properties.getDoors().entrySet()) {
			String name = entry.getKey();
			DoorProperties door = entry.getValue();
			notJvm(name, door);
			BeanDoors.named("knocker.doors." + name, door.getBean(), beans);
			settings(name, applied(defaults.copy(), door), door);
		}
		KnockerProperties.Requests requests = properties.getRequests();
		if (requests.isEnabled()) {
			check(requests);
		}
	}

	/** The bounds on the requests booked, checked before any bean is made. */
	private static void check(KnockerProperties.Requests requests) {
		if (requests.getMaxEndpoints() < 0) {
			throw new KnockerConfigurationException("knocker.requests.max-endpoints", requests.getMaxEndpoints(),
					"the bound on endpoints booked apart cannot be negative",
					"Set knocker.requests.max-endpoints to 0 or more (default 100); 0 books every request "
							+ "under OTHER.");
		}
		Duration maxOpen = requests.getMaxOpen();
		if (maxOpen == null || maxOpen.isNegative() || maxOpen.isZero()) {
			throw new KnockerConfigurationException("knocker.requests.max-open",
					(maxOpen != null) ? text(maxOpen) : null, "a request's observation must be given some time to stop",
					"Set knocker.requests.max-open to a positive duration (default 10m), longer than the "
							+ "longest request.");
		}
	}

	private static void notJvm(String name, DoorProperties door) {
		if ("jvm".equals(name)) {
			throw new KnockerConfigurationException("knocker.doors.jvm", door.getBean(),
					"the jvm door always exists and is set by the top-level knocker.* properties",
					"Give the door another name, such as 'jvm-lock'.");
		}
	}

	/** How often to sample a busy lock or monitor door's holder: 0 with sampling off. */
	static double holderRate(KnockerProperties properties) {
		KnockerProperties.Holders holders = properties.getHolders();
		double rate = holders.getMaxSamplesPerSecond();
		if (rate <= 0 || Double.isNaN(rate)) {
			throw new KnockerConfigurationException("knocker.holders.max-samples-per-second", rate,
					"the rate must be positive",
					"Set knocker.holders.max-samples-per-second to a positive rate, such as 2, or turn holder "
							+ "sampling off with knocker.holders.enabled=false.");
		}
		return holders.isEnabled() ? rate : 0;
	}

	/**
	 * A knocker on a door found without configuration, with the top-level settings.
	 */
	static KnockKnock auto(String name, Door door, KnockSettings defaults) {
		return defaults.toBuilder().name(name).door(door).build();
	}

	/** The top-level values on gilknocker's defaults, unresolved. */
	private static KnockKnock.Builder defaultsBuilder(KnockerProperties properties) {
		return applied(KnockKnock.builder().holderSamplesPerSecond(holderRate(properties)), properties);
	}

	/**
	 * The builder with a level's values over it: a polling interval set at this level
	 * makes the unset intervals follow it by gilknocker's rule.
	 */
	private static KnockKnock.Builder applied(KnockKnock.Builder builder, KnockingProperties level) {
		if (level.getPollingInterval() != null) {
			builder.pollingInterval(level.getPollingInterval())
				.samplingInterval(null)
				.sleepingInterval(null)
				.timeout(null);
		}
		if (level.getSamplingInterval() != null) {
			builder.samplingInterval(level.getSamplingInterval());
		}
		if (level.getSleepingInterval() != null) {
			builder.sleepingInterval(level.getSleepingInterval());
		}
		if (level.getTimeout() != null) {
			builder.timeout(level.getTimeout());
		}
		return builder;
	}

	/**
	 * The builder's settings under the name, an invalid value reported as the property it
	 * was written in: the door's own, or else the top level's.
	 */
	private static KnockSettings settings(String name, KnockKnock.Builder builder, @Nullable DoorProperties door) {
		try {
			return builder.name(name).settings();
		}
		catch (InvalidSettingException ex) {
			if ("name".equals(ex.getSetting())) {
				throw new KnockerConfigurationException("knocker.doors." + name, name,
						"a door's name must " + ex.getRequirement() + ", as it names a meter tag and a URL",
						"Rename the door, for example to '" + KnockSettings.nameOf(name) + "'.");
			}
			String property = ((door != null && setAt(door, ex.getSetting())) ? "knocker.doors." + name + "."
					: "knocker.") + kebab(ex.getSetting());
			Object value = (ex.getValue() instanceof Duration duration) ? text(duration) : ex.getValue();
			throw new KnockerConfigurationException(property, value,
					kebab(ex.getSetting()) + " must " + written(ex.getRequirement()),
					"Set " + property + " to a value that does, such as " + example(ex.getSetting(), builder) + ".");
		}
	}

	private static boolean setAt(KnockingProperties level, String setting) {
		return switch (setting) {
			case "pollingInterval" -> level.getPollingInterval() != null;
			case "samplingInterval" -> level.getSamplingInterval() != null;
			case "sleepingInterval" -> level.getSleepingInterval() != null;
			case "timeout" -> level.getTimeout() != null;
			default -> false;
		};
	}

	/** A valid value for the setting, from gilknocker's rule where it can be applied. */
	private static String example(String setting, KnockKnock.Builder builder) {
		KnockSettings rule;
		try {
			rule = builder.copy()
				.name("example")
				.samplingInterval(null)
				.sleepingInterval(null)
				.timeout(null)
				.settings();
		}
		catch (InvalidSettingException ex) {
			rule = KnockKnock.builder().settings();
		}
		Duration value = switch (setting) {
			case "samplingInterval" -> rule.samplingInterval();
			case "sleepingInterval" -> rule.sleepingInterval();
			case "timeout" -> rule.timeout();
			default -> KnockSettings.DEFAULT_POLLING_INTERVAL;
		};
		return text(value);
	}

	/**
	 * A requirement in the words of the properties: {@code polling-interval (1ms)}, not
	 * {@code pollingInterval (PT0.001S)}.
	 */
	private static String written(String requirement) {
		Matcher durations = ISO_DURATION.matcher(requirement);
		StringBuilder words = new StringBuilder();
		while (durations.find()) {
			durations.appendReplacement(words, Matcher.quoteReplacement(text(Duration.parse(durations.group()))));
		}
		durations.appendTail(words);
		Matcher settings = SETTING.matcher(words);
		StringBuilder written = new StringBuilder();
		while (settings.find()) {
			settings.appendReplacement(written, kebab(settings.group()));
		}
		return settings.appendTail(written).toString();
	}

	/** A duration as a property would be written: {@code 1ms}, {@code 500us}. */
	static String text(Duration duration) {
		try {
			long nanos = duration.toNanos();
			if (nanos % 1_000_000 == 0) {
				return (nanos / 1_000_000) + "ms";
			}
			return (nanos % 1_000 == 0) ? (nanos / 1_000) + "us" : nanos + "ns";
		}
		catch (ArithmeticException ex) {
			return duration.toString();
		}
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
	}

}
