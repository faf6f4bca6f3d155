package io.knocker.autoconfigure.pool;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Knocker's own {@link ConnectionPoolDoors}, one per pool it reads, each where its pool's
 * classes are: HikariCP and Tomcat JDBC first, then whatever Spring Boot's pool metadata
 * describes, last, after an application's own.
 */
@Configuration(proxyBeanMethods = false)
public class ConnectionPoolDoorsConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.zaxxer.hikari.HikariDataSource")
	static class Hikari {

		@Bean
		@Order(0)
		HikariPoolDoors hikariPoolDoors() {
			return new HikariPoolDoors();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.apache.tomcat.jdbc.pool.DataSourceProxy",
			"org.springframework.boot.jdbc.DataSourceUnwrapper" })
	static class TomcatJdbc {

		@Bean
		@Order(100)
		TomcatJdbcPoolDoors tomcatJdbcPoolDoors() {
			return new TomcatJdbcPoolDoors();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider")
	static class Metadata {

		@Bean
		@Order(Ordered.LOWEST_PRECEDENCE)
		MetadataPoolDoors metadataPoolDoors(ObjectProvider<DataSourcePoolMetadataProvider> providers) {
			return new MetadataPoolDoors(providers);
		}

	}

}
