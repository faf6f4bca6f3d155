package io.knocker.autoconfigure.pool;

import javax.sql.DataSource;

import io.knocker.Door;
import org.jspecify.annotations.Nullable;

/**
 * One kind of connection pool, as Knocker reads it: finds such a pool behind a
 * {@code DataSource} bean (through Spring's wrappers) and makes a {@code connection-pool}
 * door on it, read from the pool's own counts, so that a knock never takes a connection,
 * never opens one and never starts the pool. Knocker declares one bean for HikariCP, one
 * for Tomcat JDBC and one for the pools Spring Boot's pool metadata knows; an application
 * or a library adds a pool by declaring a bean of its own. The beans are asked in their
 * order; the first that finds a pool behind a data source makes its door, or decides
 * there is none.
 */
public interface ConnectionPoolDoors {

	/**
	 * The pool behind a data source, as this kind of pool knows it; what makes a wrapper
	 * bean and the pool bean behind it one door. Must not start the pool.
	 * @param dataSource a data source bean
	 * @return the pool, or {@code null} if none of this kind is behind it
	 */
	@Nullable Object pool(DataSource dataSource);

	/**
	 * A door on a pool this found.
	 * @param pool what {@link #pool(DataSource)} returned
	 * @return the door, or {@code null} if the pool cannot be read without starting it
	 * (then it gets no door at all)
	 */
	@Nullable Door door(Object pool);

}
