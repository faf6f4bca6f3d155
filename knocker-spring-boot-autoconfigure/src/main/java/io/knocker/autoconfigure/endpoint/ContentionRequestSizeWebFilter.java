package io.knocker.autoconfigure.endpoint;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The WebFlux twin of {@link ContentionRequestSizeFilter}: refuses a write to the
 * contention endpoint whose body is larger than any valid one, before anything reads it:
 * 413, or 411 when the length is not given.
 */
public class ContentionRequestSizeWebFilter implements WebFilter {

	private final String path;

	/**
	 * Creates the filter.
	 * @param path the endpoint's path, such as {@code /actuator/contention}
	 */
	public ContentionRequestSizeWebFilter(String path) {
		this.path = path;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!HttpMethod.POST.equals(request.getMethod()) || !request.getPath().value().startsWith(this.path)) {
			return chain.filter(exchange);
		}
		long length = request.getHeaders().getContentLength();
		if (length > ContentionRequestSizeFilter.MAX_BODY_BYTES) {
			// 413 by number: Spring Framework 7 names it CONTENT_TOO_LARGE, 6.2 (Boot
			// 3.5)
			// PAYLOAD_TOO_LARGE.
			return refuse(exchange.getResponse(), HttpStatus.valueOf(413), "The body is " + length
					+ " bytes; an action takes at most " + ContentionRequestSizeFilter.MAX_BODY_BYTES);
		}
		if (length < 0 && request.getHeaders().getFirst("Transfer-Encoding") != null) {
			return refuse(exchange.getResponse(), HttpStatus.LENGTH_REQUIRED,
					"Send the action with a Content-Length of at most " + ContentionRequestSizeFilter.MAX_BODY_BYTES
							+ " bytes");
		}
		return chain.filter(exchange);
	}

	private static Mono<Void> refuse(ServerHttpResponse response, HttpStatus status, String message) {
		response.setStatusCode(status);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = ("{\"status\":" + status.value() + ",\"error\":\"" + message + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

}
