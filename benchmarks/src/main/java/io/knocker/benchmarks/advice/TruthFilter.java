package io.knocker.benchmarks.advice;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Times each request on its worker, from the first filter to the response, and books it
 * with the wait and hold its handler timed.
 */
final class TruthFilter implements Filter {

	/** Request attribute: {@code System.nanoTime()} when the first filter began. */
	static final String START = TruthFilter.class.getName() + ".start";

	/** Request attribute: the handler's wait for its resource, in nanoseconds. */
	static final String WAIT = TruthFilter.class.getName() + ".wait";

	/** Request attribute: the handler's hold of its resource, in nanoseconds. */
	static final String HOLD = TruthFilter.class.getName() + ".hold";

	private final Truth truth;

	TruthFilter(Truth truth) {
		this.truth = truth;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		long start = System.nanoTime();
		request.setAttribute(START, start);
		try {
			chain.doFilter(request, response);
		}
		finally {
			long server = System.nanoTime() - start;
			this.truth.record(((HttpServletRequest) request).getRequestURI(), server, nanos(request, WAIT),
					nanos(request, HOLD));
		}
	}

	private static long nanos(ServletRequest request, String attribute) {
		return (request.getAttribute(attribute) instanceof Long nanos) ? nanos : 0L;
	}

}
