package io.knocker.autoconfigure.requests;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * Every endpoint's requests, keyed {@code "GET /book"} as Spring's default
 * {@code http.server.requests} convention tags them: how many, their time (from the
 * hand-off to a worker until the response) and the time they waited at each door.
 * Counters only go up; what the endpoint shows is since the last {@link #reset()}, what
 * the meters read is since the endpoint was first booked.
 * <p>
 * At most {@code maxEndpoints} endpoints are booked apart (uris are templates, but a
 * stray convention or a router with raw paths must not grow the ledger, nor the meters,
 * without bound): requests to any further endpoint are booked under the one endpoint
 * {@link #OTHER}, method {@code OTHER} and uri {@code OTHER}, keyed {@code "OTHER"} in
 * {@link #asMap()}. A reset drops the endpoints that had no request since the previous
 * reset, which makes room again. Lock-free.
 */
public final class RequestLedger {

	/**
	 * The method, the uri and the key of the endpoint that books requests beyond the
	 * bound; no HTTP method or uri template is spelt so.
	 */
	public static final String OTHER = "OTHER";

	/** The part a request waited for a core. */
	public static final String CPU = "cpu";

	/**
	 * The parts each request's own, exact: its queue for a worker and the JVM's pauses.
	 */
	private static final String[] EXACT = { HandOffStamp.DOOR, "jvm" };

	private static boolean isEstimate(String door) {
		return !HandOffStamp.DOOR.equals(door) && !"jvm".equals(door);
	}

	/** The default bound on endpoints booked apart. */
	public static final int DEFAULT_MAX_ENDPOINTS = 100;

	/** By method, then uri: a request's booking looks up two short keys, builds none. */
	private final Map<String, Map<String, Endpoint>> endpoints = new ConcurrentHashMap<>();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private final int maxEndpoints;

	/** Endpoints booked apart now, {@link #OTHER} aside. */
	private final AtomicInteger size = new AtomicInteger();

	/**
	 * Creates a ledger of at most {@value #DEFAULT_MAX_ENDPOINTS} endpoints booked apart.
	 */
	public RequestLedger() {
		this(DEFAULT_MAX_ENDPOINTS);
	}

	/**
	 * Creates a ledger.
	 * @param maxEndpoints most endpoints booked apart; further ones are booked under
	 * {@link #OTHER}
	 */
	public RequestLedger(int maxEndpoints) {
		if (maxEndpoints < 0) {
			throw new IllegalArgumentException("maxEndpoints must not be negative, was " + maxEndpoints);
		}
		this.maxEndpoints = maxEndpoints;
	}

	/**
	 * Books one request.
	 * @param method its method, such as {@code GET}
	 * @param uri its uri template, such as {@code /book/{id}}
	 * @param nanos its time
	 * @param waited the time it waited at each door, by door; doors that cannot tell are
	 * absent
	 */
	public void book(String method, String uri, long nanos, Map<String, Long> waited) {
		book(method, uri, nanos, waited, false);
	}

	/**
	 * Books one request whose wait for a core ({@code cpu}) is sampled: a request that
	 * could have had it read but has none leaves its time to the next one that has, whose
	 * {@code cpu} stands for both (a sample stands for the time since the previous one),
	 * so that the sum is right on average and only ever grows.
	 * @param method its method, such as {@code GET}
	 * @param uri its uri template, such as {@code /book/{id}}
	 * @param nanos its time
	 * @param waited the time it waited at each door, by door; doors that cannot tell are
	 * absent
	 * @param cpuSampled whether the request's {@code cpu} is sampled: present, it stands
	 * for the time of the sampled requests without one since; absent, the request's time
	 * waits for the next
	 */
	public void book(String method, String uri, long nanos, Map<String, Long> waited, boolean cpuSampled) {
		Map<String, Long> parts = new LinkedHashMap<>(waited);
		if (!endpoint(method, uri).book(nanos, parts, cpuSampled)) {
			// A reset dropped the endpoint under its feet: the look-up makes a new one.
			book(method, uri, nanos, waited, cpuSampled);
		}
	}

	private Endpoint endpoint(String method, String uri) {
		Map<String, Endpoint> byUri = this.endpoints.get(method);
		if (byUri == null) {
			byUri = this.endpoints.computeIfAbsent(method, (m) -> new ConcurrentHashMap<>());
		}
		Endpoint endpoint = byUri.get(uri);
		if (endpoint == null || endpoint.isDropped()) {
			endpoint = add(byUri, method, uri, endpoint);
		}
		return endpoint;
	}

	private Endpoint add(Map<String, Endpoint> byUri, String method, String uri, @Nullable Endpoint dropped) {
		if (dropped != null) {
			byUri.remove(uri, dropped);
		}
		boolean other = OTHER.equals(method) && OTHER.equals(uri);
		if (!other && !reserve()) {
			return endpoint(OTHER, OTHER);
		}
		Endpoint created = new Endpoint(method, uri, other);
		Endpoint raced = byUri.putIfAbsent(uri, created);
		if (raced != null) {
			if (!other) {
				this.size.decrementAndGet();
			}
			return raced;
		}
		// Told outside the map's lock, before the endpoint's first booking is done.
		for (Listener listener : this.listeners) {
			listener.endpointAdded(created);
		}
		return created;
	}

	private boolean reserve() {
		int size = this.size.get();
		while (size < this.maxEndpoints) {
			if (this.size.compareAndSet(size, size + 1)) {
				return true;
			}
			size = this.size.get();
		}
		return false;
	}

	/**
	 * The endpoints since the last reset, sorted by key ({@code "GET /book"}, and
	 * {@code "OTHER"}).
	 * @return the endpoints by key
	 */
	public Map<String, Endpoint> asMap() {
		Map<String, Endpoint> sorted = new TreeMap<>();
		this.endpoints.values()
			.forEach((byUri) -> byUri.values().forEach((endpoint) -> sorted.put(endpoint.getKey(), endpoint)));
		return Collections.unmodifiableMap(sorted);
	}

	/**
	 * Starts every endpoint's figures over, and drops the endpoints that had no request
	 * since the previous reset (their meters go with them); the kept endpoints' meters'
	 * counters go on.
	 */
	public void reset() {
		this.endpoints.values().forEach((byUri) -> byUri.forEach((uri, endpoint) -> {
			if (endpoint.dropIfIdle()) {
				byUri.remove(uri, endpoint);
				if (!endpoint.other) {
					this.size.decrementAndGet();
				}
				for (Listener listener : this.listeners) {
					listener.endpointRemoved(endpoint);
				}
			}
			else {
				endpoint.reset();
			}
		}));
	}

	/**
	 * Tells the listener of every endpoint and door seen, now and from now on.
	 * @param listener the listener
	 */
	public void addListener(Listener listener) {
		this.listeners.add(listener);
		this.endpoints.values().forEach((byUri) -> byUri.values().forEach((endpoint) -> {
			listener.endpointAdded(endpoint);
			endpoint.total.waited.keySet().forEach((door) -> listener.doorSeen(endpoint, door));
		}));
	}

	/** Told of endpoints as they come and go, such as to register their meters. */
	@FunctionalInterface
	public interface Listener {

		/**
		 * An endpoint was first booked, or first booked again after a reset dropped it.
		 * @param endpoint the endpoint
		 */
		default void endpointAdded(Endpoint endpoint) {
		}

		/**
		 * An endpoint's requests waited at a door for the first time.
		 * @param endpoint the endpoint
		 * @param door the door's name
		 */
		void doorSeen(Endpoint endpoint, String door);

		/**
		 * A reset dropped an endpoint that had no request since the previous reset.
		 * @param endpoint the endpoint
		 */
		default void endpointRemoved(Endpoint endpoint) {
		}

	}

	/** One endpoint's requests. */
	public final class Endpoint {

		/** The requests counter of an endpoint a reset dropped: below any count. */
		private static final long DROPPED = Long.MIN_VALUE;

		private final String method;

		private final String uri;

		private final boolean other;

		private final Totals total = new Totals();

		/** The totals at the last reset: what the endpoint shows is since then. */
		private volatile Mark resetAt = new Mark(0, 0, Map.of());

		/**
		 * Whether no reset has passed since the endpoint was made: made by a request, it
		 * is not idle, even before that request's booking is counted.
		 */
		private volatile boolean fresh = true;

		Endpoint(String method, String uri, boolean other) {
			this.method = method;
			this.uri = uri;
			this.other = other;
		}

		/** Sampled requests' time since the last one with a {@code cpu} reading. */
		private final AtomicLong cpuUnread = new AtomicLong();

		/**
		 * The requests' time no part has taken: what parts beyond a request's own may
		 * take.
		 */
		private final AtomicLong slack = new AtomicLong();

		/**
		 * Per door, looks' estimates no time was left for yet: booked as time frees up.
		 */
		private final Map<String, AtomicLong> carried = new ConcurrentHashMap<>();

		/** Books a request, unless a reset dropped the endpoint first. */
		private boolean book(long nanos, Map<String, Long> waited, boolean cpuSampled) {
			// Counted first: a reset drops the endpoint only if the count did not move
			// since the previous reset, so either it sees this request or this request
			// sees it dropped, and goes to a new endpoint.
			if (this.total.requests.getAndIncrement() < 0) {
				return false;
			}
			if (cpuSampled) {
				Long cpu = waited.get(CPU);
				if (cpu == null) {
					this.cpuUnread.addAndGet(nanos);
				}
				else if (nanos > 0) {
					long standsFor = this.cpuUnread.getAndSet(0) + nanos;
					waited.put(CPU, Math.round(cpu * ((double) standsFor / nanos)));
				}
			}
			fit(nanos, waited);
			this.total.book(nanos, waited, this);
			return true;
		}

		/**
		 * Makes every part booked covered by the requests' time, so that the parts never
		 * sum above it, without cutting an estimate short: a look stands for more than a
		 * short request's time (a knock's interval), and the sum over requests is right
		 * only if it is booked whole. The exact parts ({@code http}, {@code jvm}) take
		 * the request's own time; {@code cpu} (standing for the unread requests too) and
		 * the looks take what is left, then the time earlier requests left to no part; a
		 * look with none left is carried to later requests of the endpoint.
		 */
		private void fit(long nanos, Map<String, Long> waited) {
			long room = Math.max(0, nanos);
			for (String exact : EXACT) {
				Long wait = waited.get(exact);
				if (wait != null) {
					long kept = Math.min(Math.max(0, wait), room);
					waited.put(exact, kept);
					room -= kept;
				}
			}
			long wanted = 0;
			for (Map.Entry<String, Long> entry : waited.entrySet()) {
				if (isEstimate(entry.getKey())) {
					AtomicLong carry = this.carried.get(entry.getKey());
					long want = Math.max(0, entry.getValue()) + ((carry != null) ? carry.getAndSet(0) : 0);
					entry.setValue(want);
					wanted += want;
				}
			}
			if (wanted <= room) {
				this.slack.addAndGet(room - wanted);
				return;
			}
			long available = room + takeSlack(wanted - room);
			Long cpu = waited.get(CPU);
			if (cpu != null) {
				// The kernel's count, scaled: never carried.
				long kept = Math.min(cpu, available);
				waited.put(CPU, kept);
				available -= kept;
				wanted -= cpu;
			}
			if (wanted <= available) {
				this.slack.addAndGet(available - wanted);
				return;
			}
			double keep = (wanted > 0) ? (double) available / wanted : 0.0;
			for (Map.Entry<String, Long> entry : waited.entrySet()) {
				String door = entry.getKey();
				if (isEstimate(door) && !CPU.equals(door)) {
					long kept = (long) (entry.getValue() * keep);
					this.carried.computeIfAbsent(door, (d) -> new AtomicLong()).addAndGet(entry.getValue() - kept);
					entry.setValue(kept);
				}
			}
		}

		private long takeSlack(long wanted) {
			while (true) {
				long slack = this.slack.get();
				long taken = Math.min(slack, wanted);
				if (taken <= 0 || this.slack.compareAndSet(slack, slack - taken)) {
					return Math.max(0, taken);
				}
			}
		}

		private boolean isDropped() {
			return this.total.requests.get() < 0;
		}

		private boolean dropIfIdle() {
			return !this.fresh && this.total.requests.compareAndSet(this.resetAt.requests(), DROPPED);
		}

		private void reset() {
			Map<String, Long> waited = new HashMap<>();
			this.total.waited.forEach((door, adder) -> waited.put(door, adder.sum()));
			this.resetAt = new Mark(this.total.requests.get(), this.total.nanos.sum(), waited);
			this.fresh = false;
		}

		/**
		 * The key the endpoint is shown under: {@code "GET /book"}, or {@code "OTHER"}.
		 * @return the key
		 */
		public String getKey() {
			return this.other ? OTHER : this.method + " " + this.uri;
		}

		/**
		 * The method tag.
		 * @return the method
		 */
		public String getMethod() {
			return this.method;
		}

		/**
		 * The uri tag.
		 * @return the uri
		 */
		public String getUri() {
			return this.uri;
		}

		/**
		 * Requests since the last reset.
		 * @return the number of requests
		 */
		public long getRequests() {
			return Math.max(0, this.total.requests.get() - this.resetAt.requests());
		}

		/**
		 * The requests' time since the last reset.
		 * @return seconds
		 */
		public double getSeconds() {
			return (this.total.nanos.sum() - this.resetAt.nanos()) / 1e9;
		}

		/**
		 * The share of the requests' time since the last reset spent waiting at each door
		 * that can tell.
		 * @return the share by door
		 */
		public Map<String, Double> getWaited() {
			Mark reset = this.resetAt;
			long nanos = this.total.nanos.sum() - reset.nanos();
			Map<String, Double> shares = new TreeMap<>();
			this.total.waited.forEach((door, waited) -> {
				long since = waited.sum() - reset.waited().getOrDefault(door, 0L);
				shares.put(door, (nanos > 0) ? Math.min(1.0, Math.max(0.0, (double) since / nanos)) : 0.0);
			});
			return shares;
		}

		/**
		 * The time the requests since the last reset waited at each door that can tell.
		 * @return seconds by door
		 */
		public Map<String, Double> getWaitedSeconds() {
			Mark reset = this.resetAt;
			Map<String, Double> seconds = new TreeMap<>();
			this.total.waited.forEach((door, waited) -> seconds.put(door,
					Math.max(0, waited.sum() - reset.waited().getOrDefault(door, 0L)) / 1e9));
			return seconds;
		}

		/**
		 * The requests' time since the endpoint was first booked: the
		 * {@code knocker.request.seconds} meter's reading.
		 * @return seconds
		 */
		public double totalSeconds() {
			return this.total.nanos.sum() / 1e9;
		}

		/**
		 * The time the requests waited at a door since the endpoint was first booked: the
		 * {@code knocker.request.waited} meter's reading.
		 * @param door the door's name
		 * @return seconds
		 */
		public double totalWaitedSeconds(String door) {
			LongAdder waited = this.total.waited.get(door);
			return (waited != null) ? waited.sum() / 1e9 : 0.0;
		}

	}

	/** An endpoint's totals at a reset. */
	private record Mark(long requests, long nanos, Map<String, Long> waited) {
	}

	/** Monotonic counters of one endpoint. */
	private final class Totals {

		/** One counter the reset can swap for {@link Endpoint#DROPPED} if unmoved. */
		private final AtomicLong requests = new AtomicLong();

		private final LongAdder nanos = new LongAdder();

		private final Map<String, LongAdder> waited = new ConcurrentHashMap<>();

		void book(long nanos, Map<String, Long> waited, Endpoint seen) {
			this.nanos.add(nanos);
			waited.forEach((door, wait) -> {
				LongAdder adder = this.waited.get(door);
				if (adder == null) {
					LongAdder created = new LongAdder();
					adder = this.waited.putIfAbsent(door, created);
					if (adder == null) {
						adder = created;
						// Told once per endpoint and door, whoever books first.
						for (Listener listener : RequestLedger.this.listeners) {
							listener.doorSeen(seen, door);
						}
					}
				}
				adder.add(wait);
			});
		}

	}

}
