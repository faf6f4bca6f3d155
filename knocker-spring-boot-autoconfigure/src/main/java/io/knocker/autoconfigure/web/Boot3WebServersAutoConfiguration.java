package io.knocker.autoconfigure.web;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot 3.5's web servers, for the {@code http} and {@code event-loop} doors: the
 * same as {@link Boot4WebServersAutoConfiguration}, for the classes under their Boot 3.5
 * names ({@code org.springframework.boot.web.context},
 * {@code org.springframework.boot.web.embedded.*}). Dropping Boot 3.5 is deleting this
 * class and {@link Boot3Method}, and their line in the auto-configuration imports.
 */
@AutoConfiguration(after = KnockerAutoConfiguration.class)
@ConditionalOnClass(name = Boot3WebServersAutoConfiguration.CONTEXT)
@ConditionalOnBean(Knockers.class)
public final class Boot3WebServersAutoConfiguration {

	static final String CONTEXT = "org.springframework.boot.web.context.WebServerApplicationContext";

	static final String TOMCAT = "org.springframework.boot.web.embedded.tomcat.TomcatWebServer";

	static final String JETTY = "org.springframework.boot.web.embedded.jetty.JettyWebServer";

	@Bean
	WebServerLookup boot3WebServerLookup() {
		return new Boot3Method<>(CONTEXT, "getWebServer", WebServer.class)::get;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { TOMCAT, "org.apache.catalina.startup.Tomcat" })
	static class Tomcat3 {

		@Bean
		RequestExecutor boot3TomcatRequestExecutor() {
			Boot3Method<Tomcat> tomcat = new Boot3Method<>(TOMCAT, "getTomcat", Tomcat.class);
			return (server) -> {
				Tomcat found = tomcat.get(server);
				return (found != null) ? TomcatDoors.requestDoor(found) : null;
			};
		}

		@Bean
		@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
		@ConditionalOnProperty(name = "knocker.requests.enabled", matchIfMissing = true)
		static TomcatHandOff boot3TomcatHandOff(ObjectProvider<WebServerLookup> lookups) {
			return new TomcatHandOff(lookups.orderedStream().toList(),
					new Boot3Method<>(TOMCAT, "getTomcat", Tomcat.class)::get);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { JETTY, "org.eclipse.jetty.server.Server" })
	static class Jetty3 {

		@Bean
		RequestExecutor boot3JettyRequestExecutor() {
			Boot3Method<Server> jetty = new Boot3Method<>(JETTY, "getServer", Server.class);
			return (server) -> {
				Server found = jetty.get(server);
				return (found != null) ? JettyDoors.requestDoor(found) : null;
			};
		}

		@Bean
		@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
		@ConditionalOnProperty(name = "knocker.requests.enabled", matchIfMissing = true)
		static JettyHandOff boot3JettyHandOff() {
			return new JettyHandOff();
		}

	}

}
