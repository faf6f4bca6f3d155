package io.knocker.autoconfigure.requests;

import java.util.function.Predicate;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.KnockerProperties;
import io.knocker.autoconfigure.Knockers;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration that follows every web request of a servlet or WebFlux application
 * from its {@code http.server.requests} observation ({@code knocker.requests.enabled}, on
 * by default), when Micrometer Observation is on the class path: at most
 * {@code knocker.requests.max-endpoints} endpoints booked apart, requests waited for at
 * most {@code knocker.requests.max-open}.
 */
@AutoConfiguration(after = KnockerAutoConfiguration.class)
@ConditionalOnClass(name = { "io.micrometer.observation.ObservationRegistry",
		"org.springframework.http.server.observation.ServerRequestObservationContext",
		"org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints" })
@ConditionalOnWebApplication
@ConditionalOnBean(Knockers.class)
@ConditionalOnProperty(name = "knocker.requests.enabled", matchIfMissing = true)
public final class RequestsAutoConfiguration {

	private static final String SERVLET = "org.springframework.http.server.observation.ServerRequestObservationContext";

	private static final String REACTIVE = "org.springframework.http.server.reactive.observation.ServerRequestObservationContext";

	@Bean
	@ConditionalOnMissingBean
	RequestLedger knockerRequestLedger(KnockerProperties properties) {
		// Its bounds were checked before any bean was made (KnockerPropertiesCheck).
		return new RequestLedger(properties.getRequests().getMaxEndpoints());
	}

	@Bean
	@ConditionalOnMissingBean
	RequestFollower knockerRequestFollower(ObjectProvider<Knockers> knockers, RequestLedger ledger,
			ObjectProvider<PathMappedEndpoints> endpoints, KnockerProperties properties) {
		// The knockers are asked for at the first request: the observation registry, and
		// so this, is made while the web server starts, where a misconfigured door would
		// be reported by the server as well as by the failure analyzer.
		return new RequestFollower(knockers::getObject, ledger, instanceOf(SERVLET), instanceOf(REACTIVE),
				new ContentionPath(endpoints), properties.getRequests().getMaxOpen());
	}

	private static Predicate<Observation.Context> instanceOf(String className) {
		ClassLoader classLoader = RequestsAutoConfiguration.class.getClassLoader();
		if (!ClassUtils.isPresent(className, classLoader)) {
			return (context) -> false;
		}
		Class<?> type = ClassUtils.resolveClassName(className, classLoader);
		return type::isInstance;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RequestMetrics knockerRequestMetrics(RequestLedger ledger) {
			return new RequestMetrics(ledger);
		}

	}

	/**
	 * Knocker's own requests, which are not booked: the contention endpoint's and its
	 * page's paths, asked for once requests come, when the endpoints are mapped.
	 */
	private static final class ContentionPath implements Predicate<String> {

		private final ObjectProvider<PathMappedEndpoints> endpoints;

		private volatile String @Nullable [] paths;

		ContentionPath(ObjectProvider<PathMappedEndpoints> endpoints) {
			this.endpoints = endpoints;
		}

		@Override
		public boolean test(String uri) {
			String[] paths = this.paths;
			if (paths == null) {
				PathMappedEndpoints mapped = this.endpoints.getIfAvailable();
				paths = new String[] { path(mapped, "contention"), path(mapped, "knocker") };
				this.paths = paths;
			}
			for (String path : paths) {
				if (uri.equals(path) || uri.startsWith(path + "/")) {
					return true;
				}
			}
			return false;
		}

		private static String path(@Nullable PathMappedEndpoints mapped, String id) {
			String found = (mapped != null) ? mapped.getPath(EndpointId.of(id)) : null;
			return (found != null) ? found : "/actuator/" + id;
		}

	}

}
