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

import javax.sql.DataSource;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.InvalidSettingException;
import io.knocker.KnockKnock;
import io.knocker.KnockSettings;
import io.knocker.autoconfigure.KnockerProperties.DoorProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ClassUtils;

/**
 * Builds knockers from {@link KnockerProperties}, turning every invalid value into a
 * {@link KnockerConfigurationException} that names its property.
 */
final class KnockerFactory {

	private static final String DOOR_TYPES = "a Lock, ReadWriteLock, Semaphore, Executor, pooled DataSource or Door";

	private static final String POOLS = "HikariCP, Tomcat JDBC, or one Spring Boot's pool metadata knows";

	private static final Log logger = LogFactory.getLog(KnockerFactory.class);

	private static final boolean HIKARI = isPresent("com.zaxxer.hikari.HikariDataSource");

	private static final boolean TOMCAT_JDBC = isPresent("org.apache.tomcat.jdbc.pool.DataSourceProxy")
			&& isPresent("org.springframework.boot.jdbc.DataSourceUnwrapper");

	private static final @Nullable Class<?> ROUTING = routing();

	private static final boolean POOL_METADATA = isPresent(
			"org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider");

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
	static List<KnockKnock> doors(KnockerProperties properties, BeanFactory beans) {
		KnockKnock.Builder defaults = defaultsBuilder(properties);
		List<KnockKnock> knockers = new ArrayList<>();
		for (Map.Entry<String, DoorProperties> entry : properties.getDoors().entrySet()) {
			String name = entry.getKey();
			DoorProperties door = entry.getValue();
			if ("jvm".equals(name)) {
				throw new KnockerConfigurationException("knocker.doors.jvm", door.getBean(),
						"the jvm door always exists and is set by the top-level knocker.* properties",
						"Give the door another name, such as 'jvm-lock'.");
			}
			Door target = door("knocker.doors." + name, door.getBean(), door.getKind(), beans);
			KnockSettings settings = settings(name, applied(defaults.copy(), door), door);
			knockers.add(settings.toBuilder().door(target).build());
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
		KnockSettings defaults = defaults(properties);
		Set<Object> knockedOn = Collections.newSetFromMap(new IdentityHashMap<>());
		for (DoorProperties door : properties.getDoors().values()) {
			String bean = door.getBean();
			if (bean != null) {
				Object knocked = beans.getBean(bean);
				knockedOn.add(knocked);
				if (knocked instanceof DataSource dataSource) {
					knockedOn.add(poolOf(dataSource));
				}
			}
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
		if (properties.getAutoDoors().isDataSources()) {
			for (String name : beans.getBeanNamesForType(DataSource.class, false, true)) {
				DataSource dataSource = (DataSource) beans.getBean(name);
				// One door per pool: a wrapper bean and the pool bean behind it are one.
				Object pool = poolOf(dataSource);
				boolean first = knockedOn.add(dataSource) && (pool == dataSource || knockedOn.add(pool));
				Door door = first ? poolDoor(dataSource, beans) : null;
				if (door != null) {
					doors.put(name, door);
				}
				else if (logger.isDebugEnabled()) {
					String why = isRouting(dataSource) ? "it routes to several pools"
							: "it is neither a pool Knocker can read (" + POOLS
									+ ") nor wraps one, or a door knocks on it already";
					logger.debug("No connection-pool door for DataSource bean '" + name + "': " + why);
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
			String name = KnockSettings.nameOf(beanName);
			if (takenNames.add(name)) {
				knockers.add(auto(name, door, defaults));
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
	 * A knocker on a door found without configuration, with the top-level settings.
	 */
	static KnockKnock auto(String name, Door door, KnockSettings defaults) {
		return defaults.toBuilder().name(name).door(door).build();
	}

	/**
	 * The door for the bean a configured door names, of the kind written or inferred.
	 * @param prefix {@code knocker.doors.<name>}
	 */
	private static Door door(String prefix, @Nullable String beanName, @Nullable DoorKind kind, BeanFactory beans) {
		String property = prefix + ".bean";
		if (beanName == null || beanName.isBlank()) {
			throw new KnockerConfigurationException(property, beanName, "no bean is named for this door",
					"Set " + property + " to the name of " + DOOR_TYPES + ".");
		}
		Object bean;
		try {
			if (!beans.isSingleton(beanName)) {
				// A prototype (or request, session...) bean gives the knocker an instance
				// of its own that no other code ever waits on: it would read 0 forever.
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
			if (kind != null) {
				throw new KnockerConfigurationException(prefix + ".kind", kind.value(),
						"bean '" + beanName + "' is a Door of its own, of kind '" + door.kind() + "'",
						"Remove " + prefix + ".kind: a Door says itself how it is knocked on.");
			}
			return door;
		}
		DoorKind inferred = DoorKind.of(bean);
		DoorKind chosen = (kind != null) ? kind : inferred;
		if (chosen == null) {
			throw new KnockerConfigurationException(prefix + ".kind", null,
					"bean '" + beanName + "' is a " + bean.getClass().getName()
							+ ", which Knocker does not know how to knock on" + betterDoor(bean),
					"Point " + property + " at " + DOOR_TYPES + ", or, if the application synchronizes on this very "
							+ "object, set " + prefix + ".kind: monitor (kinds: " + DoorKind.all() + ").");
		}
		if (!chosen.fits(bean)) {
			throw new KnockerConfigurationException(prefix + ".kind", chosen.value(),
					"bean '" + beanName + "' is a " + bean.getClass().getName() + ", which cannot be knocked on as a "
							+ chosen.value(),
					"Set " + prefix + ".kind to one that fits the bean"
							+ ((inferred != null) ? ", such as " + inferred.value() + ", or remove it" : "")
							+ " (kinds: " + DoorKind.all() + ").");
		}
		if (chosen == DoorKind.MONITOR
				&& (bean instanceof CharSequence || bean instanceof Number || bean instanceof Boolean
						|| bean instanceof Character || bean instanceof Enum<?> || bean instanceof KnockKnock)) {
			// Values like these are shared or interned: nobody queues for their monitor
			// on purpose.
			throw new KnockerConfigurationException(property, beanName,
					"bean '" + beanName + "' is a " + bean.getClass().getName() + ", which no thread waits on",
					"Point " + property + " at " + DOOR_TYPES + ".");
		}
		return switch (chosen) {
			case LOCK -> Doors.lock((Lock) bean);
			case READ_WRITE_LOCK -> Doors.readWriteLock((ReadWriteLock) bean);
			case SEMAPHORE -> Doors.semaphore((Semaphore) bean);
			case EXECUTOR -> executorDoor((Executor) bean);
			case CONNECTION_POOL -> poolDoor(prefix, beanName, (DataSource) bean, beans);
			case MONITOR -> Doors.monitor(bean);
		};
	}

	/** A connection-pool door on the pool behind a configured door's data source. */
	private static Door poolDoor(String prefix, String beanName, DataSource dataSource, BeanFactory beans) {
		Door door = poolDoor(dataSource, beans);
		if (door == null) {
			throw new KnockerConfigurationException(prefix + ".bean", beanName,
					"bean '" + beanName + "' is a " + dataSource.getClass().getName()
							+ ", which is neither a pool Knocker can read (" + POOLS + ") nor wraps one",
					"Knock on a pooled DataSource (HikariCP is Spring Boot's default pool), or on a Door of your own "
							+ "for this pool (see Doors of your own in the README).");
		}
		return door;
	}

	/**
	 * A connection-pool door on the pool behind the data source, {@code null} if Knocker
	 * cannot read its counts. Each pool's classes load only where that pool is.
	 */
	private static @Nullable Door poolDoor(DataSource dataSource, BeanFactory beans) {
		if (isRouting(dataSource)) {
			return null;
		}
		if (HIKARI) {
			com.zaxxer.hikari.HikariDataSource pool = HikariDoors.pool(dataSource);
			if (pool != null) {
				return HikariDoors.door(pool);
			}
		}
		if (TOMCAT_JDBC && TomcatJdbcDoors.isTomcatJdbc(dataSource)) {
			// No metadata fallback: its counts would create the pool and open
			// connections.
			return TomcatJdbcDoors.door(dataSource);
		}
		if (POOL_METADATA && beans instanceof ListableBeanFactory listable) {
			return PoolMetadataDoors.door(dataSource, listable);
		}
		return null;
	}

	/**
	 * The pool behind a data source, as far as Knocker can see through wrappers: what
	 * makes two beans one door.
	 */
	private static Object poolOf(DataSource dataSource) {
		if (HIKARI) {
			com.zaxxer.hikari.HikariDataSource pool = HikariDoors.pool(dataSource);
			if (pool != null) {
				return pool;
			}
		}
		if (TOMCAT_JDBC) {
			Object pool = TomcatJdbcDoors.proxy(dataSource);
			if (pool != null) {
				return pool;
			}
		}
		return dataSource;
	}

	private static @Nullable Class<?> routing() {
		String name = "org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource";
		return isPresent(name) ? ClassUtils.resolveClassName(name, KnockerFactory.class.getClassLoader()) : null;
	}

	private static boolean isPresent(String className) {
		return ClassUtils.isPresent(className, KnockerFactory.class.getClassLoader());
	}

	/**
	 * A routing data source picks its pool per call: its pool at startup says nothing of
	 * the calls'.
	 */
	private static boolean isRouting(DataSource dataSource) {
		Class<?> routing = ROUTING;
		if (routing == null) {
			return false;
		}
		// Behind Spring's wrappers too (LazyConnectionDataSourceProxy over a read/write
		// split): JDBC's unwrap would otherwise reach whichever pool the key at startup
		// picks.
		try {
			return routing.isInstance(dataSource) || dataSource.isWrapperFor(routing);
		}
		catch (java.sql.SQLException | RuntimeException ex) {
			return false;
		}
	}

	/** What to knock on instead, for types that have a better door than a monitor. */
	private static String betterDoor(Object bean) {
		if (isA(bean, "kotlinx.coroutines.sync.Mutex")) {
			return ": a coroutine Mutex suspends its waiters instead of blocking them, so its monitor is never "
					+ "taken; write a Door of your own that tries tryLock() (see Doors of your own in the README)";
		}
		if (isA(bean, "io.github.resilience4j.bulkhead.Bulkhead")) {
			return ": a Bulkhead's callers wait in its permits, not on its monitor; write a Door of your own that "
					+ "tries tryAcquirePermission() (see Doors of your own in the README)";
		}
		return "";
	}

	private static boolean isA(Object bean, String typeName) {
		for (Class<?> type = bean.getClass(); type != null; type = type.getSuperclass()) {
			if (type.getName().equals(typeName)) {
				return true;
			}
			for (Class<?> ifc : type.getInterfaces()) {
				if (ifc.getName().equals(typeName)) {
					return true;
				}
			}
		}
		return false;
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
			throw new KnockerConfigurationException(property, ex.getValue(),
					ex.getSetting() + " must " + ex.getRequirement(),
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
		return value.toMillis() + "ms";
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
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
