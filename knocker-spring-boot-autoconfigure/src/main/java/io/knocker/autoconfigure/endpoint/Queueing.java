package io.knocker.autoconfigure.endpoint;

/**
 * The M/M/c queue (Erlang C) that advice sizes a door with: {@code c} servers (a pool's
 * connections, a semaphore's permits, a pool's threads, cores) and an offered load of
 * {@code a} erlangs (arrivals per second times the mean hold, the mean number busy).
 * Predictions are ratios of its waits, so that what the model gets wrong the same way at
 * every size (holds that vary less than an exponential's, say) cancels out.
 */
final class Queueing {

	private Queueing() {
	}

	/**
	 * The probability that an arrival waits: Erlang's C formula, from Erlang B's
	 * recursion (stable for hundreds of servers).
	 * @param servers the servers, at least 1
	 * @param load the offered load in erlangs
	 * @return the probability of waiting, from 0 to 1 (1 at or above saturation)
	 */
	static double waitProbability(int servers, double load) {
		if (load <= 0) {
			return 0.0;
		}
		if (load >= servers) {
			return 1.0;
		}
		double blocked = 1.0;
		for (int k = 1; k <= servers; k++) {
			blocked = load * blocked / (k + load * blocked);
		}
		return servers * blocked / (servers - load * (1 - blocked));
	}

	/**
	 * The load at which an arrival waits with the probability given: what a door's busy
	 * ratio (random looks that found every server taken) says of its load.
	 * @param servers the servers, at least 1
	 * @param probability the probability of waiting, below 1
	 * @return the load in erlangs, below {@code servers}
	 */
	static double loadFor(int servers, double probability) {
		if (probability <= 0) {
			return 0.0;
		}
		double low = 0.0;
		double high = servers;
		for (int i = 0; i < 60; i++) {
			double middle = (low + high) / 2;
			if (waitProbability(servers, middle) < probability) {
				low = middle;
			}
			else {
				high = middle;
			}
		}
		return (low + high) / 2;
	}

	/**
	 * The mean wait of an arrival, in mean holds: {@code C(c, a) / (c - a)}.
	 * @param servers the servers
	 * @param load the offered load in erlangs
	 * @return the mean wait over the mean hold; infinite at or above saturation
	 */
	static double meanWait(int servers, double load) {
		return (load < servers) ? waitProbability(servers, load) / (servers - load) : Double.POSITIVE_INFINITY;
	}

}
