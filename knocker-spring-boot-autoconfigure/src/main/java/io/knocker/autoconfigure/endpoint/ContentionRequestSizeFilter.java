package io.knocker.autoconfigure.endpoint;

import java.io.IOException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a write to the contention endpoint whose body is larger than any valid one (an
 * action is a few dozen bytes), before anything reads it: 413, or 411 when the length is
 * not given. The endpoint's path is asked for at the first write, not when the server
 * starts: asking builds every endpoint, and with them the knockers, whose configuration
 * errors should stop startup through the failure analyzer, not inside the server.
 */
public class ContentionRequestSizeFilter extends OncePerRequestFilter {

	/** The largest body accepted, in bytes. */
	public static final int MAX_BODY_BYTES = 1024;

	private final Supplier<String> endpointPath;

	private volatile @Nullable String path;

	/**
	 * Creates the filter.
	 * @param endpointPath the endpoint's path within the application, such as
	 * {@code /actuator/contention}; asked for once, at the first write
	 */
	public ContentionRequestSizeFilter(Supplier<String> endpointPath) {
		this.endpointPath = endpointPath;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod())) {
			return true;
		}
		String path = this.path;
		if (path == null) {
			path = this.endpointPath.get();
			this.path = path;
		}
		String uri = request.getRequestURI().substring(request.getContextPath().length());
		return !(uri.equals(path) || uri.startsWith(path + "/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long length = request.getContentLengthLong();
		if (length > MAX_BODY_BYTES) {
			refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
					"The body is " + length + " bytes; an action takes at most " + MAX_BODY_BYTES);
			return;
		}
		if (length < 0 && request.getHeader("Transfer-Encoding") != null) {
			refuse(response, HttpServletResponse.SC_LENGTH_REQUIRED,
					"Send the action with a Content-Length of at most " + MAX_BODY_BYTES + " bytes");
			return;
		}
		chain.doFilter(request, response);
	}

	private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		response.getWriter().write("{\"status\":" + status + ",\"error\":\"" + message + "\"}");
	}

}
