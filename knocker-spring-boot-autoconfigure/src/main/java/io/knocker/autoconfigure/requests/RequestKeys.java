package io.knocker.autoconfigure.requests;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * A request's endpoint, read from its {@code http.server.requests} observation's own
 * context by the rules of Spring's default convention, never from the key values of
 * whatever convention is configured: the default, OpenTelemetry's and an application's
 * own give the same {@code "GET /book"}. Servlet requests where the Servlet API is,
 * reactive ones where Spring's reactive observation context is.
 */
final class RequestKeys {

	private static final String SERVLET_CONTEXT = "org.springframework.http.server.observation.ServerRequestObservationContext";

	private static final String SERVLET_API = "jakarta.servlet.http.HttpServletRequest";

	private static final String REACTIVE_CONTEXT = "org.springframework.http.server.reactive.observation.ServerRequestObservationContext";

	private final @Nullable ServletRequestKeys servlet;

	private final @Nullable ReactiveRequestKeys reactive;

	private RequestKeys(@Nullable ServletRequestKeys servlet, @Nullable ReactiveRequestKeys reactive) {
		this.servlet = servlet;
		this.reactive = reactive;
	}

	/**
	 * Spring's rules, for the kinds of request whose classes are present.
	 * @return the keys
	 */
	static RequestKeys spring() {
		ClassLoader classLoader = RequestKeys.class.getClassLoader();
		boolean servlet = ClassUtils.isPresent(SERVLET_CONTEXT, classLoader)
				&& ClassUtils.isPresent(SERVLET_API, classLoader);
		boolean reactive = ClassUtils.isPresent(REACTIVE_CONTEXT, classLoader);
		return new RequestKeys(servlet ? new ServletRequestKeys() : null, reactive ? new ReactiveRequestKeys() : null);
	}

	/**
	 * The request's method, such as {@code GET}.
	 * @param context an observation's context
	 * @return the method, or {@code null} if the context is no server request's
	 */
	@Nullable String method(Observation.Context context) {
		return key(context, true);
	}

	/**
	 * The request's uri template, such as {@code /book/{id}}, or {@code UNKNOWN},
	 * {@code NOT_FOUND}, {@code REDIRECTION}, {@code root}.
	 * @param context an observation's context
	 * @return the uri, or {@code null} if the context is no server request's
	 */
	@Nullable String uri(Observation.Context context) {
		return key(context, false);
	}

	private @Nullable String key(Observation.Context context, boolean method) {
		// The servlet or reactive type is named only once its classes are known to be
		// there.
		ServletRequestKeys servlet = this.servlet;
		if (servlet != null
				&& context instanceof org.springframework.http.server.observation.ServerRequestObservationContext request) {
			return method ? servlet.methodOf(request) : servlet.uriOf(request);
		}
		ReactiveRequestKeys reactive = this.reactive;
		if (reactive != null
				&& context instanceof org.springframework.http.server.reactive.observation.ServerRequestObservationContext request) {
			return method ? reactive.methodOf(request) : reactive.uriOf(request);
		}
		return null;
	}

	/**
	 * Whether the context is a servlet request's that has gone asynchronous, to go on off
	 * its thread.
	 * @param context an observation's context
	 * @return whether it started async processing
	 */
	boolean asyncStarted(Observation.Context context) {
		ServletRequestKeys servlet = this.servlet;
		return servlet != null
				&& context instanceof org.springframework.http.server.observation.ServerRequestObservationContext request
				&& servlet.asyncStarted(request);
	}

	/**
	 * The request's path within the application, as sent, whatever endpoint matched it
	 * (none, for a request a security filter rejected).
	 * @param context an observation's context
	 * @return the path, or {@code null} if the context is no server request's
	 */
	@Nullable String path(Observation.Context context) {
		ServletRequestKeys servlet = this.servlet;
		if (servlet != null
				&& context instanceof org.springframework.http.server.observation.ServerRequestObservationContext request) {
			return servlet.pathOf(request);
		}
		ReactiveRequestKeys reactive = this.reactive;
		if (reactive != null
				&& context instanceof org.springframework.http.server.reactive.observation.ServerRequestObservationContext request) {
			return reactive.pathOf(request);
		}
		return null;
	}

}
