package io.knocker.autoconfigure.page;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.endpoint.ContentionEndpointAutoConfiguration;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.EndpointAccessResolver;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@link PageEndpoint}, when it is available (exposed on the
 * web, e.g. {@code management.endpoints.web.exposure.include=contention,knocker}, and not
 * disabled). The actuator serves it: its base path, management port, access and security
 * apply as to every endpoint.
 */
@AutoConfiguration(after = { KnockerAutoConfiguration.class, ContentionEndpointAutoConfiguration.class })
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(Knockers.class)
@ConditionalOnAvailableEndpoint(endpoint = PageEndpoint.class, exposure = EndpointExposure.WEB)
public final class PageEndpointAutoConfiguration {

	private static final EndpointId PAGE = EndpointId.of("knocker");

	private static final EndpointId CONTENTION = EndpointId.of("contention");

	@Bean
	@ConditionalOnMissingBean
	PageEndpoint pageEndpoint(ObjectProvider<PathMappedEndpoints> endpoints,
			ObjectProvider<EndpointAccessResolver> access) {
		// Both asked for per request: the endpoints are mapped after this bean is made.
		return new PageEndpoint(() -> contentionHref(endpoints.getIfAvailable()),
				() -> writable(access.getIfAvailable()));
	}

	/**
	 * Where the page finds the contention endpoint, relative to the page, so that a
	 * custom base path, path mapping or management port needs nothing more.
	 * @param endpoints the mapped endpoints, if known
	 * @return a relative URL
	 */
	static String contentionHref(@Nullable PathMappedEndpoints endpoints) {
		String page = (endpoints != null) ? endpoints.getRootPath(PAGE) : null;
		String contention = (endpoints != null) ? endpoints.getRootPath(CONTENTION) : null;
		return relativeHref((page != null) ? page : PAGE.toString(),
				(contention != null) ? contention : CONTENTION.toString());
	}

	/**
	 * The href of one endpoint from another's page, both under the same base path.
	 * @param from the page's root path (its path under the base path)
	 * @param to the target's root path
	 * @return a relative URL
	 */
	static String relativeHref(String from, String to) {
		int depth = (int) from.chars().filter((c) -> c == '/').count();
		return "../".repeat(depth) + to;
	}

	/**
	 * Whether the contention endpoint accepts writes (its access is
	 * {@code unrestricted}), as the actuator itself decides it.
	 * @param access the actuator's access resolver, if any
	 * @return {@code true} to offer a reset
	 */
	static boolean writable(@Nullable EndpointAccessResolver access) {
		return access != null && access.accessFor(CONTENTION, Access.READ_ONLY) == Access.UNRESTRICTED;
	}

}
