package io.knocker.autoconfigure.endpoint;

import java.lang.reflect.Method;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import io.knocker.autoconfigure.measure.MeasuredMethods;
import io.knocker.autoconfigure.requests.RequestLedger;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Auto-configuration for the {@link ContentionEndpoint}, when it is available (exposed
 * and not disabled).
 */
@AutoConfiguration(after = { KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(Knockers.class)
@ConditionalOnAvailableEndpoint(ContentionEndpoint.class)
public final class ContentionEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ContentionEndpoint contentionEndpoint(Knockers knockers, ObjectProvider<MeasuredMethods> methods,
			ObjectProvider<RequestLedger> requests, ListableBeanFactory beans, ApplicationContext context) {
		return new ContentionEndpoint(knockers, methods.getIfAvailable(), requests.getIfAvailable(),
				(name) -> sizeSetting(name, beans, serverName(context)));
	}

	/**
	 * The simple class name of the application's web server ({@code TomcatWebServer},
	 * {@code JettyWebServer}), by name: its context type is in another package on each
	 * Boot line; empty when there is none.
	 */
	static String serverName(ApplicationContext context) {
		Method getWebServer = ReflectionUtils.findMethod(context.getClass(), "getWebServer");
		Object server = (getWebServer != null) ? ReflectionUtils.invokeMethod(getWebServer, context) : null;
		return (server != null) ? server.getClass().getSimpleName() : "";
	}

	/**
	 * The property that sets a door's size, where Spring Boot has one: the server's
	 * workers ({@code http}), and the auto-configured data source's pool (a data source
	 * of the application's own is not set by Spring Boot's properties).
	 */
	/** Whether the bean is Spring Boot's auto-configured data source. */
	private static boolean bootsOwn(String name, ListableBeanFactory beans) {
		if (!(beans instanceof ConfigurableListableBeanFactory factory) || !factory.containsBeanDefinition(name)) {
			return false;
		}
		String factoryBean = factory.getBeanDefinition(name).getFactoryBeanName();
		return factoryBean != null && factoryBean.contains("DataSourceConfiguration");
	}

	static @Nullable String sizeSetting(String name, ListableBeanFactory beans, String server) {
		if ("http".equals(name)) {
			// The server that runs, not the first on the class path: with both there,
			// Spring Boot 4 starts Jetty.
			return server.startsWith("Tomcat") ? "server.tomcat.threads.max"
					: server.startsWith("Jetty") ? "server.jetty.threads.max" : null;
		}
		if ("dataSource".equals(name) && bootsOwn(name, beans)) {
			Class<?> type = beans.getType(name);
			return switch ((type != null) ? type.getName() : "") {
				case "com.zaxxer.hikari.HikariDataSource" -> "spring.datasource.hikari.maximum-pool-size";
				case "org.apache.tomcat.jdbc.pool.DataSource" -> "spring.datasource.tomcat.max-active";
				case "org.apache.commons.dbcp2.BasicDataSource" -> "spring.datasource.dbcp2.max-total";
				default -> null;
			};
		}
		return null;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ FilterRegistrationBean.class, PathMappedEndpoints.class, OncePerRequestFilter.class })
	static class RequestSizeConfiguration {

		@Bean
		FilterRegistrationBean<ContentionRequestSizeFilter> contentionRequestSizeFilter(
				ObjectProvider<PathMappedEndpoints> endpoints) {
			// On every request, checking the path itself: the endpoint's path is asked
			// for at the first write, once the application has started (see the filter).
			FilterRegistrationBean<ContentionRequestSizeFilter> registration = new FilterRegistrationBean<>(
					new ContentionRequestSizeFilter(() -> contentionPath(endpoints)));
			registration.addUrlPatterns("/*");
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(name = { "org.springframework.web.server.WebFilter", "reactor.core.publisher.Mono" })
	static class ReactiveRequestSizeConfiguration {

		@Bean
		ContentionRequestSizeWebFilter contentionRequestSizeWebFilter(ObjectProvider<PathMappedEndpoints> endpoints) {
			return new ContentionRequestSizeWebFilter(contentionPath(endpoints));
		}

	}

	static String contentionPath(ObjectProvider<PathMappedEndpoints> endpoints) {
		PathMappedEndpoints mapped = endpoints.getIfAvailable();
		String path = (mapped != null) ? mapped.getPath(EndpointId.of("contention")) : null;
		return (path != null) ? path : "/actuator/contention";
	}

}
