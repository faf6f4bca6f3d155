package io.knocker.autoconfigure;

import java.util.List;

import javax.sql.DataSource;

import io.knocker.Door;
import io.knocker.Doors;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;

/**
 * Connection-pool doors on the other pools Spring Boot's pool metadata knows (Commons
 * DBCP2, Oracle UCP, and any pool an application's own
 * {@link DataSourcePoolMetadataProvider} bean describes), read from
 * {@link DataSourcePoolMetadata}: idle and active connections and the most the pool
 * opens. The metadata does not count waiting threads, so a knock gets straight through
 * while a connection is idle or the pool may open another, and otherwise waits until one
 * of them is so; calls measured on such a door get no waited figure. Uses the provider
 * beans Spring Boot's data source auto-configuration defines. Loaded only where Spring
 * Boot's pool metadata is.
 */
final class PoolMetadataDoors {

	private PoolMetadataDoors() {
	}

	/**
	 * A door on the pool the metadata providers describe, {@code null} if they describe
	 * none or cannot tell its maximum.
	 */
	static @Nullable Door door(DataSource dataSource, ListableBeanFactory beans) {
		List<DataSourcePoolMetadataProvider> providers = beans.getBeanProvider(DataSourcePoolMetadataProvider.class)
			.orderedStream()
			.toList();
		DataSourcePoolMetadata metadata = new CompositeDataSourcePoolMetadataProvider(providers)
			.getDataSourcePoolMetadata(dataSource);
		if (metadata == null || metadata.getMax() == null) {
			return null;
		}
		return Doors.connectionPool(() -> available(metadata), () -> 0, null);
	}

	/**
	 * Connections a newcomer would get without waiting; 1 for counts the pool cannot give
	 * now.
	 */
	private static int available(DataSourcePoolMetadata metadata) {
		Integer idle = metadata.getIdle();
		Integer active = metadata.getActive();
		Integer max = metadata.getMax();
		if (idle == null || active == null || max == null) {
			return 1;
		}
		if (idle > 0 || max < 0) {
			// A negative maximum: no limit.
			return Math.max(1, idle);
		}
		return Math.max(0, max - active - idle);
	}

}
