package io.knocker.autoconfigure.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

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
		this.knockers = knockers;
		this.methods = (methods != null) ? methods : new MeasuredMethods();
		this.requests = (requests != null) ? requests : new RequestLedger();
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
		this.requests.asMap().forEach((key, endpoint) -> requests.put(key, RequestsDescriptor.of(endpoint)));
		DoorDescriptor jvm = doors.get(Knockers.JVM);
		return new ContentionDescriptor(jvm != null && jvm.running(), (jvm != null) ? jvm.contentionMetric() : 0.0,
				doors, methods, requests);
	}

	/**
	 * {@code GET /actuator/contention/{name}}: one door, with its holders, or one method.
	 * @param name a door's or a measured method's name
	 * @return the door or method, or {@code null} (404) for an unknown name
	 */
	@ReadOperation
	public @Nullable OperationResponseBody contentionOf(@Selector String name) {
		KnockKnock knocker = this.knockers.get(name);
		if (knocker != null) {
			return DoorDescriptor.withHolders(knocker);
		}
		MethodContention method = this.methods.asMap().get(name);
		return (method != null) ? MethodDescriptor.of(method) : null;
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
	 */
	public record ContentionDescriptor(boolean running, double contentionMetric, Map<String, DoorDescriptor> doors,
			Map<String, MethodDescriptor> methods,
			Map<String, RequestsDescriptor> requests) implements OperationResponseBody {
	}

	/**
	 * One endpoint's requests since start or reset.
	 *
	 * @param requests requests booked
	 * @param seconds their time, from the hand-off to a worker to the response
	 * @param waited the share of that time spent waiting at each door that can tell
	 */
	public record RequestsDescriptor(long requests, double seconds,
			Map<String, Double> waited) implements OperationResponseBody {

		static RequestsDescriptor of(RequestLedger.Endpoint endpoint) {
			return new RequestsDescriptor(endpoint.getRequests(), endpoint.getSeconds(), endpoint.getWaited());
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
