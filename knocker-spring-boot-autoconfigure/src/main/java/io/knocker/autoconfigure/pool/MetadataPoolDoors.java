package io.knocker.autoconfigure.pool;

import javax.sql.DataSource;

import io.knocker.Door;
import io.knocker.Doors;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
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
public final class MetadataPoolDoors implements ConnectionPoolDoors {

	private final ObjectProvider<DataSourcePoolMetadataProvider> providers;

	/**
	 * Doors on the pools the providers describe.
	 * @param providers Spring Boot's pool metadata providers, and the application's
	 */
	public MetadataPoolDoors(ObjectProvider<DataSourcePoolMetadataProvider> providers) {
		this.providers = providers;
	}

	/**
	 * The data source itself when the metadata providers describe its pool and can tell
	 * its maximum; {@code null} otherwise.
	 */
	@Override
	public @Nullable Object pool(DataSource dataSource) {
		return (metadata(dataSource) != null) ? dataSource : null;
	}

	@Override
	public @Nullable Door door(Object pool) {
		DataSourcePoolMetadata metadata = metadata((DataSource) pool);
		return (metadata != null) ? Doors.connectionPool(() -> available(metadata), () -> 0, null, () -> most(metadata))
				: null;
	}

	private @Nullable DataSourcePoolMetadata metadata(DataSource dataSource) {
		DataSourcePoolMetadata metadata = new CompositeDataSourcePoolMetadataProvider(
				this.providers.orderedStream().toList())
			.getDataSourcePoolMetadata(dataSource);
		return (metadata != null && metadata.getMax() != null) ? metadata : null;
	}

	/** The most connections the pool opens; 0 with no limit or none said. */
	private static int most(DataSourcePoolMetadata metadata) {
		Integer max = metadata.getMax();
		return (max != null) ? Math.max(0, max) : 0;
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
