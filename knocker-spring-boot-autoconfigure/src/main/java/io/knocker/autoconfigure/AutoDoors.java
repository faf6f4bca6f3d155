package io.knocker.autoconfigure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import io.knocker.Door;
import io.knocker.Doors;
import io.knocker.KnockKnock;
import io.knocker.KnockSettings;
import io.knocker.autoconfigure.KnockerProperties.DoorProperties;
import io.knocker.autoconfigure.pool.DataSourcePools;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The doors an application has without configuration ({@code knocker.auto-doors}): its
 * {@code Door} beans, task executors and schedulers, pooled data sources (one door per
 * pool) and the virtual-thread scheduler. The server's doors come later, once it has
 * started ({@code web}).
 */
final class AutoDoors {

	private static final Log logger = LogFactory.getLog(AutoDoors.class);

	private AutoDoors() {
	}

	/**
	 * One knocker for each door the application has without configuration: every
	 * {@link Door} bean, every {@link ThreadPoolTaskExecutor} and
	 * {@link ThreadPoolTaskScheduler} bean, every pooled {@link DataSource} bean (one
	 * door per pool, whatever wraps it), and the virtual-thread scheduler when virtual
	 * threads are on. A bean or pool a configured door already knocks on, or a name
	 * already taken, is left to that door: nothing is knocked on twice.
	 */
	static List<KnockKnock> knockers(KnockerProperties properties, ListableBeanFactory beans, Environment environment,
			Set<String> takenNames, DataSourcePools pools) {
		KnockSettings defaults = KnockerFactory.defaults(properties);
		Set<Object> knockedOn = Collections.newSetFromMap(new IdentityHashMap<>());
		for (DoorProperties door : properties.getDoors().values()) {
			String bean = door.getBean();
			if (bean != null) {
				Object knocked = beans.getBean(bean);
				knockedOn.add(knocked);
				DataSourcePools.Found pool = (knocked instanceof DataSource dataSource) ? pools.find(dataSource) : null;
				if (pool != null) {
					knockedOn.add(pool.pool());
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
						doors.put(name, BeanDoors.executorDoor((Executor) executor));
					}
				}
			}
		}
		if (properties.getAutoDoors().isDataSources()) {
			for (String name : beans.getBeanNamesForType(DataSource.class, false, true)) {
				DataSource dataSource = (DataSource) beans.getBean(name);
				// One door per pool: a wrapper bean and the pool bean behind it are one.
				DataSourcePools.Found pool = pools.find(dataSource);
				boolean first = knockedOn.add(dataSource)
						&& (pool == null || pool.pool() == dataSource || knockedOn.add(pool.pool()));
				Door door = (first && pool != null) ? pool.door() : null;
				if (door != null) {
					doors.put(name, door);
				}
				else if (logger.isDebugEnabled()) {
					String why = DataSourcePools.isRouting(dataSource) ? "it routes to several pools"
							: "it is neither a pool Knocker can read (" + DataSourcePools.KNOWN
									+ ") nor wraps one, or a door knocks on its pool already";
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
				knockers.add(KnockerFactory.auto(name, door, defaults));
			}
		});
		return knockers;
	}

}
