package io.knocker.autoconfigure.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import javax.sql.DataSource;

import io.knocker.Door;
import io.knocker.Doors;
import org.apache.tomcat.jdbc.pool.ConnectionPool;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.jdbc.DataSourceUnwrapper;

/**
 * Connection-pool doors on the Tomcat JDBC pool, read from its {@link ConnectionPool}:
 * idle connections, room to open another and threads waiting for one. Every count the
 * data source gives (and Spring Boot's metadata of it), even {@code getPool()}, creates
 * the pool, opening its initial connections, when it has not started: the door reads the
 * data source's {@code pool} field instead, and a pool that has not started reads free
 * and is not started by a knock. Loaded only where Tomcat JDBC is.
 */
public final class TomcatJdbcPoolDoors implements ConnectionPoolDoors {

	/** {@code DataSourceProxy.pool}; {@code null} if this Tomcat JDBC has none. */
	private static final @Nullable VarHandle POOL = poolField();

	private final @Nullable VarHandle poolField;

	/** Doors on the Tomcat JDBC pools, read from the pool field of this Tomcat JDBC. */
	public TomcatJdbcPoolDoors() {
		this(POOL);
	}

	/** Doors read from the field given: {@code null} is a Tomcat JDBC without one. */
	TomcatJdbcPoolDoors(@Nullable VarHandle poolField) {
		this.poolField = poolField;
	}

	private static @Nullable VarHandle poolField() {
		try {
			return MethodHandles.privateLookupIn(DataSourceProxy.class, MethodHandles.lookup())
				.findVarHandle(DataSourceProxy.class, "pool", ConnectionPool.class);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	/** The Tomcat JDBC pool behind the data source; {@code null} if there is none. */
	@Override
	public @Nullable DataSourceProxy pool(DataSource dataSource) {
		return DataSourceUnwrapper.unwrap(dataSource, DataSourceProxy.class);
	}

	/**
	 * A door on the pool; {@code null} if this Tomcat JDBC's pool field cannot be read:
	 * any count then could start the pool, and Spring Boot's metadata is not asked
	 * instead, as its counts would too.
	 */
	@Override
	public @Nullable Door door(Object pool) {
		VarHandle field = this.poolField;
		if (field == null) {
			return null;
		}
		DataSourceProxy proxy = (DataSourceProxy) pool;
		// The pool's threads wait on a latch or a condition of their own: nothing tells
		// a given thread is waiting here, so calls measured on the door get no waited
		// figure.
		return Doors.connectionPool(() -> available(started(field, proxy), proxy.getMaxActive()),
				() -> waiting(started(field, proxy)), null, proxy::getMaxActive);
	}

	/** The pool, {@code null} until the application's first connection creates it. */
	private static @Nullable ConnectionPool started(VarHandle field, DataSourceProxy proxy) {
		return (ConnectionPool) field.getVolatile(proxy);
	}

	/** Connections a newcomer would get without waiting. */
	private static int available(@Nullable ConnectionPool pool, int max) {
		if (pool == null) {
			// Not started: a newcomer would start it and get a connection.
			return 1;
		}
		int idle = pool.getIdle();
		return (idle > 0) ? idle : Math.max(0, max - pool.getSize());
	}

	private static int waiting(@Nullable ConnectionPool pool) {
		return (pool != null) ? pool.getWaitCount() : 0;
	}

}
