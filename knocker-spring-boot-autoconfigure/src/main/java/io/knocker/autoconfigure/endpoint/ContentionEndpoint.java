package io.knocker.autoconfigure.endpoint;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import io.knocker.HolderSite;
import io.knocker.KnockKnock;
import io.knocker.KnockSnapshot;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.measure.MeasuredMethods;
import io.knocker.autoconfigure.measure.MethodContention;
import io.knocker.autoconfigure.requests.RequestLedger;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows the contention on every door and in every
 * measured method, and resets, starts or stops the knockers. Read-only unless access is
 * raised.
 */
@Endpoint(id = "contention", defaultAccess = Access.READ_ONLY)
public class ContentionEndpoint {

	private final Knockers knockers;

	private final MeasuredMethods methods;

	private final RequestLedger requests;

	private final Advisor advisor;

	/**
	 * Creates the endpoint.
	 * @param knockers the knockers to show and act on
	 * @param methods the measured methods to show, or {@code null} if there are none
	 */
	public ContentionEndpoint(Knockers knockers, @Nullable MeasuredMethods methods) {
		this(knockers, methods, null);
	}

	/**
	 * Creates the endpoint.
	 * @param knockers the knockers to show and act on
	 * @param methods the measured methods to show, or {@code null} if there are none
	 * @param requests the requests followed, or {@code null} if they are not
	 */
	public ContentionEndpoint(Knockers knockers, @Nullable MeasuredMethods methods, @Nullable RequestLedger requests) {
		this(knockers, methods, requests, (name) -> null);
	}

	/**
	 * Creates the endpoint.
	 * @param knockers the knockers to show and act on
	 * @param methods the measured methods to show, or {@code null} if there are none
	 * @param requests the requests followed, or {@code null} if they are not
	 * @param settings the property that sets a door's size, by door name, for the advice;
	 * {@code null} when there is none
	 */
	public ContentionEndpoint(Knockers knockers, @Nullable MeasuredMethods methods, @Nullable RequestLedger requests,
			Function<String, @Nullable String> settings) {
		this.knockers = knockers;
		this.methods = (methods != null) ? methods : new MeasuredMethods();
		this.requests = (requests != null) ? requests : new RequestLedger();
		this.advisor = new Advisor(knockers, this.requests, settings);
	}

	/**
	 * {@code GET /actuator/contention}: every door and measured method.
	 * @return the doors and methods
	 */
	@ReadOperation
	public ContentionDescriptor contention() {
		Map<String, DoorDescriptor> doors = new LinkedHashMap<>();
		this.knockers.asMap().forEach((name, knocker) -> doors.put(name, DoorDescriptor.of(knocker)));
		Map<String, MethodDescriptor> methods = new LinkedHashMap<>();
		this.methods.asMap().forEach((name, method) -> methods.put(name, MethodDescriptor.of(method)));
		Map<String, RequestsDescriptor> requests = new LinkedHashMap<>();
		this.requests.asMap()
			.entrySet()
			.stream()
			.map((entry) -> Map.entry(entry.getKey(), RequestsDescriptor.of(entry.getValue())))
			.sorted(Comparator
				.comparingDouble((Map.Entry<String, RequestsDescriptor> entry) -> entry.getValue().waitedSeconds())
				.reversed())
			.forEach((entry) -> requests.put(entry.getKey(), entry.getValue()));
		DoorDescriptor jvm = doors.get(Knockers.JVM);
		return new ContentionDescriptor(jvm != null && jvm.running(), (jvm != null) ? jvm.contentionMetric() : 0.0,
				doors, methods, requests, this.advisor.advise());
	}

	/**
	 * {@code GET /actuator/contention/{name}}: one door, with its holders, or one method;
	 * or one endpoint's requests, its method then its uri as the path:
	 * {@code /actuator/contention/GET/owners/{ownerId}} for {@code "GET
	 * /owners/{ownerId}"} (braces percent-encoded, as a browser does),
	 * {@code /actuator/contention/OTHER}.
	 * @param name a door's or a measured method's name, or an endpoint's method and uri
	 * @return the door, method or endpoint, or {@code null} (404) for an unknown name
	 */
	@ReadOperation
	public @Nullable OperationResponseBody contentionOf(@Selector(match = Selector.Match.ALL_REMAINING) String[] name) {
		if (name.length == 0) {
			return null;
		}
		if (name.length == 1) {
			KnockKnock knocker = this.knockers.get(name[0]);
			if (knocker != null) {
				return DoorDescriptor.withHolders(knocker);
			}
			MethodContention method = this.methods.asMap().get(name[0]);
			if (method != null) {
				return MethodDescriptor.of(method);
			}
		}
		Map<String, RequestLedger.Endpoint> endpoints = this.requests.asMap();
		String rest = String.join("/", Arrays.asList(name).subList(1, name.length));
		// "GET /book/{id}" as GET/book/{id}; "GET root", "GET UNKNOWN" and "OTHER" as
		// they
		// are, before a route of that name.
		for (String key : new String[] { name[0] + " " + rest, name[0] + " /" + rest, name[0] }) {
			RequestLedger.Endpoint endpoint = endpoints.get(key);
			if (endpoint != null) {
				return RequestsDescriptor.of(endpoint);
			}
		}
		return null;
	}

	/**
	 * {@code POST /actuator/contention}: resets, starts or stops every door; a reset also
	 * starts the requests' figures over.
	 * @param action {@code reset} (the default), {@code start} or {@code stop}
	 * @return every door and measured method after the change
	 */
	@WriteOperation
	// Spring's @Nullable: Boot 3.5 reads only it, Boot 4 both.
	@SuppressWarnings("deprecation")
	public ContentionDescriptor act(@org.springframework.lang.Nullable @Nullable String action) {
		String chosen = (action != null) ? action.toLowerCase(Locale.ROOT) : "reset";
		Consumer<KnockKnock> change = switch (chosen) {
			case "reset" -> KnockKnock::resetContentionMetric;
			case "start" -> KnockKnock::start;
			case "stop" -> KnockKnock::stop;
			default -> throw new InvalidEndpointRequestException(
					"Unknown action '" + action + "'; use \"reset\", \"start\" or \"stop\"", "Unknown action");
		};
		this.knockers.all().forEach(change);
		if ("reset".equals(chosen)) {
			this.requests.reset();
			this.methods.reset();
			this.advisor.reset();
		}
		return contention();
	}

	/**
	 * The contention on every door and in every measured method.
	 *
	 * @param running whether the jvm knocker is running
	 * @param contentionMetric the jvm door's contention since start or reset
	 * @param doors every door by name
	 * @param methods every measured method by name
	 * @param requests every endpoint's requests, keyed by method and uri as
	 * {@code http.server.requests} tags them
	 * @param advice what to change at each door and the CPU, and what it would give
	 */
	public record ContentionDescriptor(boolean running, double contentionMetric, Map<String, DoorDescriptor> doors,
			Map<String, MethodDescriptor> methods, Map<String, RequestsDescriptor> requests,
			Map<String, Advice> advice) implements OperationResponseBody {
	}

	/**
	 * One endpoint's requests since start or reset, and where their time went.
	 *
	 * @param count requests booked
	 * @param seconds their time, from the hand-off to a worker to the response
	 * @param meanSeconds their mean time
	 * @param waited the time spent waiting at each door that can tell (and {@code cpu},
	 * waiting for a core), most first
	 * @param rest the time left: the requests' own work, or waits Knocker has no door for
	 */
	public record RequestsDescriptor(long count, double seconds, double meanSeconds, Map<String, Part> waited,
			Part rest) implements OperationResponseBody {

		static RequestsDescriptor of(RequestLedger.Endpoint endpoint) {
			long count = endpoint.getRequests();
			double seconds = endpoint.getSeconds();
			Map<String, Part> waited = new LinkedHashMap<>();
			double[] sum = new double[1];
			endpoint.getWaitedSeconds()
				.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
				.forEach((entry) -> {
					waited.put(entry.getKey(), Part.of(entry.getValue(), seconds));
					sum[0] += entry.getValue();
				});
			return new RequestsDescriptor(count, seconds, (count > 0) ? seconds / count : 0.0, waited,
					Part.of(Math.max(0.0, seconds - sum[0]), seconds));
		}

		/** The time waited, all doors together: what endpoints are sorted by. */
		double waitedSeconds() {
			return this.waited.values().stream().mapToDouble(Part::seconds).sum();
		}

	}

	/**
	 * A part of an endpoint's time.
	 *
	 * @param seconds its time
	 * @param share its share of the endpoint's time, from 0 to 1
	 */
	public record Part(double seconds, double share) {

		static Part of(double seconds, double of) {
			return new Part(seconds, (of > 0) ? Math.min(1.0, Math.max(0.0, seconds / of)) : 0.0);
		}

	}

	/**
	 * One door's knocker.
	 *
	 * @param running whether it is knocking
	 * @param contentionMetric time the knocks waited over time sampled, since start or
	 * reset
	 * @param recentContentionMetric the same over the last complete sampling window
	 * @param busyRatio share of knocks since start or reset that found the door taken
	 * @param knocks knocks made, ever
	 * @param contendedSeconds time the knocks waited, ever
	 * @param sampledSeconds time sampled, ever
	 * @param pollingInterval time between knocks
	 * @param samplingInterval length of a sampling window
	 * @param sleepingInterval sleep between sampling windows
	 * @param timeout longest a stop waits
	 * @param failedKnocks knocks that threw instead of getting through, ever
	 * @param gcPauseSeconds stop-the-world pause time counted, ever; {@code null} (left
	 * out of the JSON by the actuator's mapper) but on the {@code jvm} door
	 * @param gcPauses stop-the-world pauses counted, ever; {@code null} but on the
	 * {@code jvm} door
	 * @param holders the top holding sites of a lock or monitor door since the last
	 * reset; only when the door is asked for by name ({@code null} otherwise)
	 */
	public record DoorDescriptor(boolean running, String kind, double contentionMetric, double recentContentionMetric,
			double busyRatio, long knocks, double contendedSeconds, double sampledSeconds, String pollingInterval,
			String samplingInterval, String sleepingInterval, String timeout, long failedKnocks,
			@Nullable Double gcPauseSeconds, @Nullable Long gcPauses,
			@Nullable List<HolderSite> holders) implements OperationResponseBody {

		static DoorDescriptor of(KnockKnock knocker) {
			return of(knocker, null);
		}

		static DoorDescriptor withHolders(KnockKnock knocker) {
			return of(knocker, knocker.samplesHolders() ? knocker.getHolders() : null);
		}

		private static DoorDescriptor of(KnockKnock knocker, @Nullable List<HolderSite> holders) {
			KnockSnapshot snapshot = knocker.snapshot();
			boolean jvm = knocker.countsGcPauses();
			return new DoorDescriptor(knocker.isRunning(), knocker.getDoor().kind(), knocker.getContentionMetric(),
					knocker.getRecentContentionMetric(), knocker.getBusyRatio(), snapshot.knocks(),
					snapshot.contendedNanos() / 1e9, snapshot.sampledNanos() / 1e9,
					knocker.getPollingInterval().toString(), knocker.getSamplingInterval().toString(),
					knocker.getSleepingInterval().toString(), knocker.getTimeout().toString(), snapshot.failedKnocks(),
					jvm ? snapshot.gcPauseNanos() / 1e9 : null, jvm ? snapshot.gcPauses() : null, holders);
		}

	}

	/**
	 * One measured method's calls.
	 *
	 * @param door the door measured on
	 * @param calls calls completed
	 * @param failedCalls calls that ended with an exception
	 * @param sampledCalls calls during which the knocker sampled
	 * @param lastContention contention of the last sampled call
	 * @param meanContention mean contention of the sampled calls
	 * @param maxContention largest contention of a sampled call
	 * @param lastWaited share of the last sampled call's time its thread spent waiting at
	 * the door; {@code null} (left out of the JSON) where the door cannot tell
	 * @param meanWaited mean of that share over the sampled calls; {@code null} likewise
	 * @param maxWaited largest such share; {@code null} likewise
	 */
	public record MethodDescriptor(String door, long calls, long failedCalls, long sampledCalls, double lastContention,
			double meanContention, double maxContention, @Nullable Double lastWaited, @Nullable Double meanWaited,
			@Nullable Double maxWaited) implements OperationResponseBody {

		static MethodDescriptor of(MethodContention method) {
			return new MethodDescriptor(method.getDoor(), method.getCalls(), method.getFailedCalls(),
					method.getSampledCalls(), method.getLastContention(), method.getMeanContention(),
					method.getMaxContention(), method.getLastWaited(), method.getMeanWaited(), method.getMaxWaited());
		}

	}

}
