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
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for the {@code http} door, on Tomcat and Jetty
 * ({@code knocker.auto-doors.http}).
 */
@AutoConfiguration(after = KnockerAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.web.server.context.WebServerApplicationContext")
@ConditionalOnBooleanProperty(name = "knocker.auto-doors.http", matchIfMissing = true)
@ConditionalOnBean(Knockers.class)
public final class HttpDoorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	HttpDoor httpDoor(Knockers knockers, ObjectProvider<RequestExecutor> requestExecutors) {
		return new HttpDoor(knockers, requestExecutors.orderedStream().toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.tomcat.TomcatWebServer")
	static class Tomcat {

		@Bean
		RequestExecutor tomcatRequestExecutor() {
			return new TomcatRequestExecutor();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.jetty.JettyWebServer")
	static class Jetty {

		@Bean
		RequestExecutor jettyRequestExecutor() {
			return new JettyRequestExecutor();
		}

	}

}
