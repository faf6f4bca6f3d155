package io.knocker.autoconfigure;

import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

/**
 * How a door bean is knocked on ({@code knocker.doors.<name>.kind}): inferred for the
 * types Knocker knows; a bean of any other type is knocked on as a monitor only when
 * {@code monitor} is written out, so that no bean silently becomes a monitor nobody
 * synchronizes on.
 */
public enum DoorKind {

	/**
	 * A {@link Lock}: {@code tryLock()}, else {@code lockInterruptibly()}, then unlock.
	 */
	LOCK("lock", Lock.class),

	/** A {@link ReadWriteLock}, knocked on as a reader would. */
	READ_WRITE_LOCK("read-write-lock", ReadWriteLock.class),

	/** A {@link Semaphore}: a permit taken and given back at once. */
	SEMAPHORE("semaphore", Semaphore.class),

	/** An {@link Executor}: a no-op handed to it, timed until it starts. */
	EXECUTOR("executor", Executor.class),

	/**
	 * A pooled {@link DataSource} (HikariCP, Tomcat JDBC, or a pool Spring Boot's pool
	 * metadata knows): straight through when a connection is idle, else waiting until a
	 * newcomer would get one; never taking or opening one.
	 */
	CONNECTION_POOL("connection-pool", DataSource.class),

	/**
	 * Any object's monitor, {@code synchronized (bean) {}}: only for an object the
	 * application itself synchronizes on.
	 */
	MONITOR("monitor", Object.class);

	private final String value;

	private final Class<?> type;

	DoorKind(String value, Class<?> type) {
		this.value = value;
		this.type = type;
	}

	/**
	 * The kind as written in the properties, such as {@code read-write-lock}.
	 * @return the kind's name
	 */
	public String value() {
		return this.value;
	}

	/** Whether a bean can be knocked on as this kind. */
	boolean fits(Object bean) {
		return this.type.isInstance(bean);
	}

	/** The kind inferred for a bean, or {@code null} for a type Knocker does not know. */
	static @Nullable DoorKind of(Object bean) {
		for (DoorKind kind : values()) {
			if (kind != MONITOR && kind.fits(bean)) {
				return kind;
			}
		}
		return null;
	}

	/** The kinds as written: lock, read-write-lock, ... */
	static String all() {
		StringBuilder all = new StringBuilder();
		for (DoorKind kind : values()) {
			all.append((all.length() > 0) ? ", " : "").append(kind.value);
		}
		return all.toString();
	}

}
