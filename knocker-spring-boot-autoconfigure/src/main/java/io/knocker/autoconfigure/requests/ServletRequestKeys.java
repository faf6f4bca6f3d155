package io.knocker.autoconfigure.requests;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * A servlet request's endpoint by Spring's own rules: the {@code method} and {@code uri}
 * its default {@code http.server.requests} convention gives ({@code /book/{id}},
 * {@code UNKNOWN}, {@code NOT_FOUND}, {@code REDIRECTION}, {@code root}), read from the
 * observation's context whichever convention the application configured. Loaded only
 * where the Servlet API is.
 */
final class ServletRequestKeys extends DefaultServerRequestObservationConvention {

	/**
	 * The request's method, such as {@code GET}.
	 * @param context a servlet request's observation context
	 * @return the method
	 */
	String methodOf(ServerRequestObservationContext context) {
		return method(context).getValue();
	}

	/**
	 * The request's uri template.
	 * @param context a servlet request's observation context
	 * @return the uri
	 */
	String uriOf(ServerRequestObservationContext context) {
		return uri(context).getValue();
	}

	/**
	 * Whether the request has gone asynchronous: it goes on off its thread.
	 * @param context a servlet request's observation context
	 * @return whether it started async processing
	 */
	boolean asyncStarted(ServerRequestObservationContext context) {
		HttpServletRequest request = context.getCarrier();
		return request != null && request.isAsyncStarted();
	}

	/**
	 * The request's path within the application.
	 * @param context a servlet request's observation context
	 * @return the path, or {@code null} without a request
	 */
	String pathOf(ServerRequestObservationContext context) {
		HttpServletRequest request = context.getCarrier();
		if (request == null) {
			return null;
		}
		String uri = request.getRequestURI();
		String contextPath = request.getContextPath();
		return (uri != null && contextPath != null && uri.startsWith(contextPath)) ? uri.substring(contextPath.length())
				: uri;
	}

}
