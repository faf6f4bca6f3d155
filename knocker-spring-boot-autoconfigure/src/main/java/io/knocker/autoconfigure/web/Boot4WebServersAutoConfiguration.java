package io.knocker.autoconfigure.web;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot 4's web servers, for the {@code http} and {@code event-loop} doors: how to
 * find the server, and Tomcat's and Jetty's request executors. Spring Boot 3.5's are
 * {@link Boot3WebServersAutoConfiguration}'s.
 */
@AutoConfiguration(after = KnockerAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.web.server.context.WebServerApplicationContext")
@ConditionalOnBean(Knockers.class)
public final class Boot4WebServersAutoConfiguration {

	@Bean
	WebServerLookup boot4WebServerLookup() {
		return new Boot4WebServerLookup();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.tomcat.TomcatWebServer")
	static class Tomcat {

		@Bean
		RequestExecutor tomcatRequestExecutor() {
			return (server) -> (server instanceof org.springframework.boot.tomcat.TomcatWebServer tomcat)
					? TomcatDoors.requestDoor(tomcat.getTomcat()) : null;
		}

		@Bean
		@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
		@ConditionalOnProperty(name = "knocker.requests.enabled", matchIfMissing = true)
		static TomcatHandOff tomcatHandOff(ObjectProvider<WebServerLookup> lookups) {
			return new TomcatHandOff(lookups.orderedStream().toList(),
					(server) -> (server instanceof org.springframework.boot.tomcat.TomcatWebServer tomcat)
							? tomcat.getTomcat() : null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.jetty.JettyWebServer")
	static class Jetty {

		@Bean
		RequestExecutor jettyRequestExecutor() {
			return (server) -> (server instanceof org.springframework.boot.jetty.JettyWebServer jetty)
					? JettyDoors.requestDoor(jetty.getServer()) : null;
		}

		@Bean
		@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
		@ConditionalOnProperty(name = "knocker.requests.enabled", matchIfMissing = true)
		static JettyHandOff jettyHandOff() {
			return new JettyHandOff();
		}

	}

}
