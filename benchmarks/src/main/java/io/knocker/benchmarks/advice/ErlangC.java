package io.knocker.benchmarks.advice;

/**
 * The textbook M/M/c queue: Poisson arrivals, exponential service, {@code c} servers, one
 * queue. A reference computed from the load's true rate and service time, beside the
 * advice's own prediction, so that a miss can be told apart: the model's or its inputs'.
 */
final class ErlangC {

	private ErlangC() {
	}

	/**
	 * The mean wait in the queue.
	 * @param servers the servers (pool size, permits, workers)
	 * @param rate the arrivals per second
	 * @param service the mean service time in seconds
	 * @return the mean wait in seconds, infinite when the queue never empties
	 */
	static double meanWait(int servers, double rate, double service) {
		double offered = rate * service;
		if (offered >= servers) {
			return Double.POSITIVE_INFINITY;
		}
		double blocking = 1.0;
		for (int k = 1; k <= servers; k++) {
			blocking = offered * blocking / (k + offered * blocking);
		}
		double waiting = blocking / (1.0 - (offered / servers) * (1.0 - blocking));
		return waiting * service / (servers - offered);
	}

	/**
	 * The share of a request's time spent in the queue.
	 * @param servers the servers
	 * @param rate the arrivals per second
	 * @param service the mean service time in seconds
	 * @param rest the mean time of a request outside this queue, in seconds
	 * @return the share, {@code 1} when the queue never empties
	 */
	static double share(int servers, double rate, double service, double rest) {
		double wait = meanWait(servers, rate, service);
		return Double.isInfinite(wait) ? 1.0 : wait / (wait + rest);
	}

}
