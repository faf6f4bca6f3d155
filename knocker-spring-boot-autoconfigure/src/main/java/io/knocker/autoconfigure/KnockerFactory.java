package io.knocker.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.InvalidSettingException;
import io.knocker.KnockKnock;
import io.knocker.autoconfigure.KnockerProperties.DoorProperties;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Builds knockers from {@link KnockerProperties}, turning every invalid value into a
 * {@link KnockerConfigurationException} that names its property.
 */
final class KnockerFactory {

	private static final String DOOR_TYPES = "a Lock, ReadWriteLock, Semaphore, Executor, or an object whose monitor the "
			+ "application synchronizes on";

	private KnockerFactory() {
	}

	/** The {@code jvm} knocker, from the top-level properties. */
	static KnockKnock jvm(KnockerProperties properties) {
		return build("knocker.", "jvm", Doors.jvm(), properties.getPollingInterval(), properties.getSamplingInterval(),
				properties.getSleepingInterval(), properties.getTimeout());
	}

	/**
	 * One knocker for each entry of {@code knocker.doors}, knocking on the bean it names.
	 */
	static List<KnockKnock> doors(KnockerProperties properties, BeanFactory beans) {
		KnockKnock jvm = jvm(properties);
		List<KnockKnock> knockers = new ArrayList<>();
		for (Map.Entry<String, DoorProperties> entry : properties.getDoors().entrySet()) {
			String name = entry.getKey();
			DoorProperties door = entry.getValue();
			String prefix = "knocker.doors." + name + ".";
			if ("jvm".equals(name)) {
				throw new KnockerConfigurationException("knocker.doors.jvm", door.getBean(),
						"the jvm door always exists and is set by the top-level knocker.* properties",
						"Give the door another name, such as 'jvm-lock'.");
			}
			Door target = door(prefix + "bean", door.getBean(), beans);
			knockers.add(build(prefix, name, target, orDefault(door.getPollingInterval(), jvm.getPollingInterval()),
					orDefault(door.getSamplingInterval(), jvm.getSamplingInterval()),
					orDefault(door.getSleepingInterval(), jvm.getSleepingInterval()),
					orDefault(door.getTimeout(), jvm.getTimeout()), holderRate(properties)));
		}
		return knockers;
	}

	/**
	 * One knocker for each door the application has without configuration: every
	 * {@link Door} bean, every {@link ThreadPoolTaskExecutor} and
	 * {@link ThreadPoolTaskScheduler} bean, and the virtual-thread scheduler when virtual
	 * threads are on. A bean a configured door already knocks on, or a name already
	 * taken, is left to that door: nothing is knocked on twice.
	 */
	static List<KnockKnock> autoDoors(KnockerProperties properties, ListableBeanFactory beans, Environment environment,
			Set<String> takenNames) {
		KnockKnock jvm = jvm(properties);
		Set<Object> knockedOn = Collections.newSetFromMap(new IdentityHashMap<>());
		for (DoorProperties door : properties.getDoors().values()) {
			knockedOn.add(beans.getBean(door.getBean()));
		}
		Map<String, Door> doors = new LinkedHashMap<>();
		beans.getBeansOfType(Door.class, false, true).forEach(doors::put);
		if (properties.getAutoDoors().isTaskExecutors()) {
			for (Class<?> type : List.of(ThreadPoolTaskExecutor.class, ThreadPoolTaskScheduler.class)) {
				for (String name : beans.getBeanNamesForType(type, false, true)) {
					Object executor = beans.getBean(name);
					if (knockedOn.add(executor)) {
						doors.put(name, executorDoor((Executor) executor));
					}
				}
			}
		}
		if (properties.getAutoDoors().isVirtualThreads()
				&& environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false)
				&& Doors.hasVirtualThreads()) {
			doors.put("virtual-threads", Doors.virtualThreads());
		}
		List<KnockKnock> knockers = new ArrayList<>();
		doors.forEach((beanName, door) -> {
			String name = doorName(beanName);
			if (takenNames.add(name)) {
				knockers.add(auto(name, door, jvm));
			}
		});
		return knockers;
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
	 * A knocker on a door found without configuration, with the jvm knocker's intervals.
	 */
	static KnockKnock auto(String name, Door door, KnockKnock jvm) {
		return KnockKnock.builder()
			.name(name)
			.door(door)
			.pollingInterval(jvm.getPollingInterval())
			.samplingInterval(jvm.getSamplingInterval())
			.sleepingInterval(jvm.getSleepingInterval())
			.timeout(jvm.getTimeout())
			.build();
	}

	/** A bean's name as a door's: a meter tag and a URL segment. */
	static String doorName(String beanName) {
		String name = beanName.replaceAll("[^A-Za-z0-9._-]+", "-");
		return Character.isLetterOrDigit(name.charAt(0)) ? name : "door" + name;
	}

	private static Door door(String property, String beanName, BeanFactory beans) {
		if (beanName == null || beanName.isBlank()) {
			throw new KnockerConfigurationException(property, beanName, "no bean is named for this door",
					"Set " + property + " to the name of " + DOOR_TYPES + ".");
		}
		Object bean;
		try {
			if (!beans.isSingleton(beanName)) {
				// A prototype (or request, session...) bean gives the knocker an instance
				// of its own that
				// no other code ever waits on: it would read 0 forever.
				throw new KnockerConfigurationException(property, beanName,
						"bean '" + beanName + "' is not a singleton, so the knocker would get an instance of its own "
								+ "that nothing else uses",
						"Knock on a singleton bean: drop its @Scope, or point " + property
								+ " at the singleton the application shares.");
			}
			bean = beans.getBean(beanName);
		}
		catch (NoSuchBeanDefinitionException ex) {
			throw new KnockerConfigurationException(property, beanName, "there is no bean named '" + beanName + "'",
					"Define a bean named '" + beanName + "' (" + DOOR_TYPES + "), or set " + property
							+ " to the name of an existing one.");
		}
		if (bean instanceof Door door) {
			return door;
		}
		if (bean instanceof Lock lock) {
			return Doors.lock(lock);
		}
		if (bean instanceof ReadWriteLock lock) {
			return Doors.readWriteLock(lock);
		}
		if (bean instanceof Semaphore semaphore) {
			return Doors.semaphore(semaphore);
		}
		if (bean instanceof Executor executor) {
			return executorDoor(executor);
		}
		if (bean instanceof CharSequence || bean instanceof Number || bean instanceof Boolean
				|| bean instanceof Character || bean instanceof Enum<?> || bean instanceof KnockKnock) {
			// Values like these are shared or interned: nobody queues for their monitor
			// on purpose.
			throw new KnockerConfigurationException(property, beanName,
					"bean '" + beanName + "' is a " + bean.getClass().getName() + ", which no thread waits on",
					"Point " + property + " at " + DOOR_TYPES + ".");
		}
		return Doors.monitor(bean);
	}

	private static KnockKnock build(String prefix, String name, Door door, Duration polling, Duration sampling,
			Duration sleeping, Duration timeout) {
		return build(prefix, name, door, polling, sampling, sleeping, timeout, 0);
	}

	private static KnockKnock build(String prefix, String name, Door door, Duration polling, Duration sampling,
			Duration sleeping, Duration timeout, double holderSamplesPerSecond) {
		try {
			return KnockKnock.builder()
				.name(name)
				.door(door)
				.pollingInterval(polling)
				.samplingInterval(sampling)
				.sleepingInterval(sleeping)
				.timeout(timeout)
				.holderSamplesPerSecond(holderSamplesPerSecond)
				.build();
		}
		catch (InvalidSettingException ex) {
			if ("name".equals(ex.getSetting())) {
				throw new KnockerConfigurationException(prefix.substring(0, prefix.length() - 1), name,
						"a door's name must " + ex.getRequirement() + ", as it names a meter tag and a URL",
						"Rename the door, for example to '" + name.replaceAll("[^A-Za-z0-9._-]+", "-") + "'.");
			}
			String property = prefix + kebab(ex.getSetting());
			throw new KnockerConfigurationException(property, ex.getValue(),
					ex.getSetting() + " must " + ex.getRequirement(),
					"Set " + property + " to a value that does, such as " + example(ex.getSetting(), polling) + ".");
		}
	}

	private static String example(String setting, Duration polling) {
		if ("pollingInterval".equals(setting) || polling == null || polling.isZero() || polling.isNegative()) {
			return "1ms";
		}
		return polling.multipliedBy("sleepingInterval".equals(setting) ? 100 : 10).toMillis() + "ms";
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
	}

	private static Duration orDefault(Duration value, Duration fallback) {
		return (value != null) ? value : fallback;
	}

	/**
	 * A Spring pool is knocked on through the JDK pool it runs on, so that the door sees
	 * when the pool has not started its threads and starts none of them.
	 */
	private static Door executorDoor(Executor executor) {
		try {
			if (executor instanceof ThreadPoolTaskExecutor pool) {
				return Doors.executor(pool.getThreadPoolExecutor());
			}
			if (executor instanceof ThreadPoolTaskScheduler scheduler) {
				return Doors.executor(scheduler.getScheduledThreadPoolExecutor());
			}
		}
		catch (IllegalStateException ex) {
			// Not initialized: knocked on as it is.
		}
		return Doors.executor(executor);
	}

}
