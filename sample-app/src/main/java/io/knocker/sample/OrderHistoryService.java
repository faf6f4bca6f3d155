package io.knocker.sample;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import io.knocker.KnockMeasured;

import org.springframework.stereotype.Service;

/**
 * The order history, in the database: each look holds one of the pool's two connections
 * for a 20 ms query, so that under load requests queue for a connection. Measured on the
 * door {@code dataSource}, Spring Boot's pool, which Knocker finds without configuration.
 */
@Service
public class OrderHistoryService {

	private final DataSource dataSource;

	public OrderHistoryService(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@KnockMeasured(value = "orders", door = "dataSource")
	public long count() {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select count(*) from information_schema.tables")) {
			result.next();
			// A slow query, standing for a real one.
			LockSupport.parkNanos(20_000_000);
			return result.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Order history unavailable", ex);
		}
	}

}
