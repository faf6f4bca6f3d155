package io.knocker.autoconfigure.web;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@code http} door, on Tomcat and Jetty
 * ({@code knocker.auto-doors.http}): the server's request executor, found by the
 * {@link RequestExecutor} beans of the application's Spring Boot line.
 */
@AutoConfiguration(after = KnockerAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.web.server.WebServer")
@ConditionalOnBooleanProperty(name = "knocker.auto-doors.http", matchIfMissing = true)
@ConditionalOnBean(Knockers.class)
public final class HttpDoorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpDoorListener httpDoorListener(Knockers knockers, ObjectProvider<WebServerLookup> lookups,
			ObjectProvider<RequestExecutor> requestExecutors) {
		return new HttpDoorListener(knockers, lookups.orderedStream().toList(),
				requestExecutors.orderedStream().toList());
	}

}
