package io.knocker.autoconfigure.pool;

import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.knocker.Door;
import io.knocker.Doors;
import org.jspecify.annotations.Nullable;

/**
 * Connection-pool doors on HikariCP, read from {@link HikariPoolMXBean}: idle connections
 * and threads awaiting one. Loaded only where HikariCP is. A pool that has not started
 * (Hikari starts at the first connection) reads free and is not started by a knock.
 */
public final class HikariPoolDoors implements ConnectionPoolDoors {

	/**
	 * The Hikari pool behind a data source, through Spring's wrappers (JDBC's
	 * {@code unwrap}); {@code null} if there is none.
	 */
	@Override
	public @Nullable HikariDataSource pool(DataSource dataSource) {
		if (dataSource instanceof HikariDataSource pool) {
			return pool;
		}
		try {
			return dataSource.isWrapperFor(HikariDataSource.class) ? dataSource.unwrap(HikariDataSource.class) : null;
		}
		catch (SQLException | RuntimeException ex) {
			return null;
		}
	}

	@Override
	public Door door(Object found) {
		HikariDataSource pool = (HikariDataSource) found;
		return Doors.connectionPool(() -> available(pool), () -> awaiting(pool), new Waiting(pool),
				pool::getMaximumPoolSize);
	}

	/**
	 * Connections a newcomer would get without queuing behind others: the idle ones, or,
	 * below the pool's maximum, one the pool opens for it (as Tomcat JDBC's and the
	 * metadata doors read it).
	 */
	private static int available(HikariDataSource pool) {
		HikariPoolMXBean bean = pool.getHikariPoolMXBean();
		if (bean == null) {
			// Not started: a newcomer would start it and get a connection.
			return 1;
		}
		int idle = bean.getIdleConnections();
		return (idle > 0) ? idle : Math.max(0, pool.getMaximumPoolSize() - bean.getTotalConnections());
	}

	private static int awaiting(HikariDataSource pool) {
		HikariPoolMXBean bean = pool.getHikariPoolMXBean();
		return (bean != null) ? bean.getThreadsAwaitingConnection() : 0;
	}

	/**
	 * Whether a thread waits in the pool's {@code getConnection}: Hikari hands
	 * connections to waiters through a {@code SynchronousQueue}, and every waiter is
	 * parked on that queue's transferer (JDK 17 and 21+ alike). The transferer is learnt
	 * the first time a call's thread is found parked on one while the pool has waiters;
	 * two pools both exhausted at that moment could be confused, which is why only calls
	 * measured on this door are looked at.
	 */
	private static final class Waiting implements Door.WaitingCheck {

		private static final String HANDOFF = "java.util.concurrent.SynchronousQueue$";

		private final HikariDataSource pool;

		private volatile @Nullable Object transferer;

		Waiting(HikariDataSource pool) {
			this.pool = pool;
		}

		@Override
		public Boolean isWaiting(Thread thread) {
			Object blocker = LockSupport.getBlocker(thread);
			if (blocker == null) {
				return Boolean.FALSE;
			}
			Object known = this.transferer;
			if (known != null) {
				return (blocker == known) ? Boolean.TRUE : Boolean.FALSE;
			}
			if (blocker.getClass().getName().startsWith(HANDOFF) && awaiting(this.pool) > 0) {
				this.transferer = blocker;
				return Boolean.TRUE;
			}
			return Boolean.FALSE;
		}

	}

}
