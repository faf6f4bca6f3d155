package io.knocker.autoconfigure.web;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Auto-configuration for the {@code event-loop} door, in a WebFlux application on Reactor
 * Netty ({@code knocker.auto-doors.event-loop}).
 */
@AutoConfiguration(after = KnockerAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(name = { "reactor.netty.resources.LoopResources",
		"org.springframework.http.client.ReactorResourceFactory", "org.springframework.boot.web.server.WebServer" })
@ConditionalOnBooleanProperty(name = "knocker.auto-doors.event-loop", matchIfMissing = true)
@ConditionalOnBean(Knockers.class)
public final class EventLoopDoorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EventLoopDoorListener eventLoopDoorListener(Knockers knockers, ObjectProvider<WebServerLookup> lookups,
			ObjectProvider<ReactorResourceFactory> resources) {
		return new EventLoopDoorListener(knockers, lookups.orderedStream().toList(), resources);
	}

}
