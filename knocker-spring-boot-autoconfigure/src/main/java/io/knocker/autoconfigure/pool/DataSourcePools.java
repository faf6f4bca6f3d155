package io.knocker.autoconfigure.pool;

import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import io.knocker.Door;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The pool behind a data source bean: each {@link ConnectionPoolDoors} bean asked in
 * order, the first that finds one decides. A routing data source, bare or behind Spring's
 * wrappers, has none: it picks its pool per call, so the pool its key at startup picks
 * says nothing of the calls'.
 */
public final class DataSourcePools {

	/** The pools Knocker reads by itself, for messages. */
	public static final String KNOWN = "HikariCP, Tomcat JDBC, or one Spring Boot's pool metadata knows";

	private static final @Nullable Class<?> ROUTING = routing();

	private final List<ConnectionPoolDoors> kinds;

	/**
	 * Pools of the kinds given.
	 * @param kinds the {@link ConnectionPoolDoors} beans, in order
	 */
	public DataSourcePools(List<ConnectionPoolDoors> kinds) {
		this.kinds = List.copyOf(kinds);
	}

	/**
	 * The pool behind a data source.
	 * @param dataSource a data source bean
	 * @return the pool and its kind, or {@code null} if no kind knows one behind it
	 */
	public @Nullable Found find(DataSource dataSource) {
		if (isRouting(dataSource)) {
			return null;
		}
		for (ConnectionPoolDoors kind : this.kinds) {
			Object pool = kind.pool(dataSource);
			if (pool != null) {
				return new Found(pool, kind);
			}
		}
		return null;
	}

	/**
	 * Whether the data source routes to several pools, itself or behind Spring's wrappers
	 * (JDBC's {@code isWrapperFor} reaches through them).
	 * @param dataSource a data source bean
	 * @return whether it routes
	 */
	public static boolean isRouting(DataSource dataSource) {
		Class<?> routing = ROUTING;
		if (routing == null) {
			return false;
		}
		try {
			return routing.isInstance(dataSource) || dataSource.isWrapperFor(routing);
		}
		catch (SQLException | RuntimeException ex) {
			return false;
		}
	}

	private static @Nullable Class<?> routing() {
		String name = "org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource";
		ClassLoader loader = DataSourcePools.class.getClassLoader();
		return ClassUtils.isPresent(name, loader) ? ClassUtils.resolveClassName(name, loader) : null;
	}

	/**
	 * A pool found behind a data source.
	 *
	 * @param pool the pool, as its kind knows it: a wrapper bean and the pool bean behind
	 * it find the same one
	 * @param kind the kind of pool that found it
	 */
	public record Found(Object pool, ConnectionPoolDoors kind) {

		/**
		 * The door on the pool.
		 * @return the door, or {@code null} if the pool cannot be read without starting
		 * it
		 */
		public @Nullable Door door() {
			return this.kind.door(this.pool);
		}

	}

}
