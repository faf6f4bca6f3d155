package io.knocker.autoconfigure.endpoint;

import java.util.List;
import java.util.Map;

import io.knocker.HolderSite;
import io.knocker.autoconfigure.endpoint.ContentionEndpoint.Part;
import org.jspecify.annotations.Nullable;

/**
 * What to change at one door (or the CPU), and what it would give. Figures that do not
 * apply are {@code null}, left out of the JSON by the actuator's mapper.
 *
 * @param kind the door's kind, or {@code cpu}
 * @param verdict {@code grow}, {@code shorten-hold}, {@code not-the-bottleneck},
 * {@code cpu-bound}, {@code saturated}, {@code too-little-measured}, {@code no-capacity},
 * {@code waits-unknown} (the door cannot tell who waits at it), for the server's workers
 * {@code downstream-first} (their requests wait longer at a door further on), or, for the
 * CPU, {@code shared-cores} (requests wait for cores other processes use) and
 * {@code wait-unexplained} (the cores are not busy, yet requests wait for one)
 * @param says the advice in one or two sentences
 * @param capacity how many get through at once now (connections, permits, threads, cores;
 * 1 for a lock or monitor)
 * @param busyRatio the share of looks since the last reset that found it taken
 * @param utilisation the fitted load over the capacity: the share of its capacity in use
 * on average
 * @param requestsPerSecond the requests per second of the endpoints that waited here
 * @param waitedShare the share of those endpoints' time spent waiting here
 * @param endpoints the time each of those endpoints waited here, and its share
 * @param predictions the predicted share at other sizes (or, for a lock or monitor, with
 * the hold halved)
 * @param advised the smallest size whose predicted share is under 5 %
 * @param setting the property that sets the size, where Knocker knows one
 * @param holders a lock's or monitor's top holding sites since the last reset
 * @param busyCores the CPU: the cores' worth of CPU time the process used per second
 */
public record Advice(String kind, String verdict, String says, @Nullable Integer capacity, @Nullable Double busyRatio,
		@Nullable Double utilisation, @Nullable Double requestsPerSecond, @Nullable Double waitedShare,
		@Nullable Map<String, Part> endpoints, @Nullable List<Prediction> predictions, @Nullable Integer advised,
		@Nullable String setting, @Nullable List<HolderSite> holders, @Nullable Double busyCores) {

	/**
	 * A predicted share of the requests' time waiting at a door.
	 *
	 * @param door the door
	 * @param size its capacity
	 * @param hold the hold, as a share of the measured one (0.5: halved)
	 * @param share the predicted share of the endpoints' time waiting at the door
	 */
	public record Prediction(String door, int size, double hold, double share) {
	}

	/** Builds advice as the advisor learns its parts. */
	static final class Builder {

		private final String kind;

		private @Nullable Integer capacity;

		private @Nullable Double busyRatio;

		private @Nullable Double utilisation;

		private @Nullable Double requestsPerSecond;

		private @Nullable Double waitedShare;

		private @Nullable Map<String, Part> endpoints;

		private @Nullable List<Prediction> predictions;

		private @Nullable Integer advised;

		private @Nullable String setting;

		private @Nullable List<HolderSite> holders;

		private @Nullable Double busyCores;

		Builder(String kind) {
			this.kind = kind;
		}

		Builder capacity(@Nullable Integer capacity) {
			this.capacity = capacity;
			return this;
		}

		Builder busyRatio(double busyRatio) {
			this.busyRatio = busyRatio;
			return this;
		}

		Builder utilisation(double utilisation) {
			this.utilisation = utilisation;
			return this;
		}

		Builder waits(Advisor.Waits waits, double elapsed) {
			this.requestsPerSecond = (elapsed > 0) ? waits.requests() / elapsed : 0.0;
			this.waitedShare = waits.share();
			this.endpoints = waits.endpoints();
			return this;
		}

		Builder predictions(List<Prediction> predictions) {
			this.predictions = predictions;
			return this;
		}

		Builder advised(@Nullable Integer advised) {
			this.advised = advised;
			return this;
		}

		Builder setting(@Nullable String setting) {
			this.setting = setting;
			return this;
		}

		Builder holders(@Nullable List<HolderSite> holders) {
			this.holders = holders;
			return this;
		}

		Builder cores(int cores, @Nullable Double busyCores) {
			this.capacity = cores;
			this.busyCores = busyCores;
			return this;
		}

		Advice verdict(String verdict, String says) {
			return new Advice(this.kind, verdict, says, this.capacity, this.busyRatio, this.utilisation,
					this.requestsPerSecond, this.waitedShare, this.endpoints, this.predictions, this.advised,
					this.setting, this.holders, this.busyCores);
		}

	}

}
