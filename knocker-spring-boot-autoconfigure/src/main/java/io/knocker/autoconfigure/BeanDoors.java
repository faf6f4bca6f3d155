package io.knocker.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import javax.sql.DataSource;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.KnockKnock;
import io.knocker.autoconfigure.pool.DataSourcePools;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * What the bean a door names becomes: the door of the kind written or inferred, every
 * bean that cannot be one turned into a {@link KnockerConfigurationException} that says
 * why and what to knock on instead.
 */
final class BeanDoors {

	private static final String DOOR_TYPES = "a Lock, ReadWriteLock, Semaphore, Executor, pooled DataSource or Door";

	private BeanDoors() {
	}

	/**
	 * The door for the bean a configured door names, of the kind written or inferred.
	 * @param prefix {@code knocker.doors.<name>}
	 */
	static Door door(String prefix, @Nullable String beanName, @Nullable DoorKind kind, BeanFactory beans,
			DataSourcePools pools) {
		String property = prefix + ".bean";
		if (beanName == null || beanName.isBlank()) {
			throw noBeanNamed(property, beanName);
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
			throw noSuchBean(property, beanName);
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
			case CONNECTION_POOL -> poolDoor(prefix, beanName, (DataSource) bean, pools);
			case MONITOR -> Doors.monitor(bean);
		};
	}

	/**
	 * Checks that a configured door names a bean that is defined, without creating it.
	 * @param prefix {@code knocker.doors.<name>}
	 */
	static void named(String prefix, @Nullable String beanName, BeanFactory beans) {
		String property = prefix + ".bean";
		if (beanName == null || beanName.isBlank()) {
			throw noBeanNamed(property, beanName);
		}
		if (!beans.containsBean(beanName)) {
			throw noSuchBean(property, beanName);
		}
	}

	private static KnockerConfigurationException noBeanNamed(String property, @Nullable String beanName) {
		return new KnockerConfigurationException(property, beanName, "no bean is named for this door",
				"Set " + property + " to the name of " + DOOR_TYPES + ".");
	}

	private static KnockerConfigurationException noSuchBean(String property, String beanName) {
		return new KnockerConfigurationException(property, beanName, "there is no bean named '" + beanName + "'",
				"Define a bean named '" + beanName + "' (" + DOOR_TYPES + "), or set " + property
						+ " to the name of an existing one.");
	}

	/** A connection-pool door on the pool behind a configured door's data source. */
	private static Door poolDoor(String prefix, String beanName, DataSource dataSource, DataSourcePools pools) {
		DataSourcePools.Found pool = pools.find(dataSource);
		Door door = (pool != null) ? pool.door() : null;
		if (door == null) {
			throw new KnockerConfigurationException(prefix + ".bean", beanName,
					"bean '" + beanName + "' is a " + dataSource.getClass().getName()
							+ ", which is neither a pool Knocker can read (" + DataSourcePools.KNOWN
							+ ") nor wraps one",
					"Knock on a pooled DataSource (HikariCP is Spring Boot's default pool), or on a Door of your own "
							+ "for this pool (see Doors of your own in docs/doors.md).");
		}
		return door;
	}

	/** What to knock on instead, for types that have a better door than a monitor. */
	private static String betterDoor(Object bean) {
		if (isA(bean, "kotlinx.coroutines.sync.Mutex")) {
			return ": a coroutine Mutex suspends its waiters instead of blocking them, so its monitor is never "
					+ "taken; write a Door of your own that tries tryLock() (see Doors of your own in docs/doors.md)";
		}
		if (isA(bean, "io.github.resilience4j.bulkhead.Bulkhead")) {
			return ": a Bulkhead's callers wait in its permits, not on its monitor; write a Door of your own that "
					+ "tries tryAcquirePermission() (see Doors of your own in docs/doors.md)";
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

	/**
	 * A Spring pool is knocked on through the JDK pool it runs on, so that the door sees
	 * when the pool has not started its threads and starts none of them.
	 */
	static Door executorDoor(Executor executor) {
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
