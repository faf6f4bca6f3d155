package io.knocker.autoconfigure.requests;

import org.springframework.http.server.reactive.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * A reactive request's endpoint by Spring's own rules: the {@code method} and {@code uri}
 * its default {@code http.server.requests} convention gives, read from the observation's
 * context whichever convention the application configured.
 */
final class ReactiveRequestKeys extends DefaultServerRequestObservationConvention {

	/**
	 * The request's method, such as {@code GET}.
	 * @param context a reactive request's observation context
	 * @return the method
	 */
	String methodOf(ServerRequestObservationContext context) {
		return method(context).getValue();
	}

	/**
	 * The request's uri template.
	 * @param context a reactive request's observation context
	 * @return the uri
	 */
	String uriOf(ServerRequestObservationContext context) {
		return uri(context).getValue();
	}

	/**
	 * The request's path within the application.
	 * @param context a reactive request's observation context
	 * @return the path, or {@code null} without a request
	 */
	String pathOf(ServerRequestObservationContext context) {
		return (context.getCarrier() != null) ? context.getCarrier().getPath().pathWithinApplication().value() : null;
	}

}
