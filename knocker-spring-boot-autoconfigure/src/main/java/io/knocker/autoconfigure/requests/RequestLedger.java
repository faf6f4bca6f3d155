package io.knocker.autoconfigure.requests;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Every endpoint's requests, keyed {@code "GET /book"} as {@code http.server.requests}
 * tags them: how many, their time (from the hand-off to a worker until the response) and
 * the time they waited at each door. Counters only go up; what the endpoint shows is
 * since the last {@link #reset()}, what the meters read is since start. Lock-free.
 */
public final class RequestLedger {

	/** By method, then uri: a request's booking looks up two short keys, builds none. */
	private final Map<String, Map<String, Endpoint>> endpoints = new ConcurrentHashMap<>();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Books one request.
	 * @param method its method tag, such as {@code GET}
	 * @param uri its uri tag, such as {@code /book/{id}}
	 * @param nanos its time
	 * @param waited the time it waited at each door, by door; doors that cannot tell are
	 * absent
	 */
	public void book(String method, String uri, long nanos, Map<String, Long> waited) {
		Map<String, Endpoint> byUri = this.endpoints.get(method);
		if (byUri == null) {
			byUri = this.endpoints.computeIfAbsent(method, (m) -> new ConcurrentHashMap<>());
		}
		Endpoint endpoint = byUri.get(uri);
		if (endpoint == null) {
			endpoint = byUri.computeIfAbsent(uri, (u) -> new Endpoint(method, uri));
		}
		endpoint.book(nanos, waited);
	}

	/**
	 * The endpoints since the last reset, sorted by key.
	 * @return the endpoints by key
	 */
	public Map<String, Endpoint> asMap() {
		Map<String, Endpoint> sorted = new TreeMap<>();
		endpoints().forEach((endpoint) -> sorted.put(endpoint.method + " " + endpoint.uri, endpoint));
		return Collections.unmodifiableMap(sorted);
	}

	private Stream<Endpoint> endpoints() {
		return this.endpoints.values().stream().flatMap((byUri) -> byUri.values().stream());
	}

	/** Starts every endpoint's figures over; the meters' counters go on. */
	public void reset() {
		endpoints().forEach(Endpoint::reset);
	}

	/**
	 * Tells the listener of every endpoint and door seen, now and from now on.
	 * @param listener the listener
	 */
	public void addListener(Listener listener) {
		this.listeners.add(listener);
		endpoints()
			.forEach((endpoint) -> endpoint.total.waited.keySet().forEach((door) -> listener.doorSeen(endpoint, door)));
	}

	/** Told when an endpoint first waits at a door, such as to register a meter. */
	@FunctionalInterface
	public interface Listener {

		/**
		 * An endpoint's requests waited at a door for the first time.
		 * @param endpoint the endpoint
		 * @param door the door's name
		 */
		void doorSeen(Endpoint endpoint, String door);

	}

	/** One endpoint's requests. */
	public final class Endpoint {

		private final String method;

		private final String uri;

		private final Totals total = new Totals();

		/** The totals at the last reset: what the endpoint shows is since then. */
		private volatile Mark resetAt = new Mark(0, 0, Map.of());

		Endpoint(String method, String uri) {
			this.method = method;
			this.uri = uri;
		}

		private void book(long nanos, Map<String, Long> waited) {
			this.total.book(nanos, waited, this);
		}

		private void reset() {
			Map<String, Long> waited = new java.util.HashMap<>();
			this.total.waited.forEach((door, adder) -> waited.put(door, adder.sum()));
			this.resetAt = new Mark(this.total.requests.sum(), this.total.nanos.sum(), waited);
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
			return this.total.requests.sum() - this.resetAt.requests();
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
			Map<String, Double> shares = new java.util.TreeMap<>();
			this.total.waited.forEach((door, waited) -> {
				long since = waited.sum() - reset.waited().getOrDefault(door, 0L);
				shares.put(door, (nanos > 0) ? Math.min(1.0, Math.max(0.0, (double) since / nanos)) : 0.0);
			});
			return shares;
		}

		/**
		 * The time the requests waited at a door since start: the meter's reading.
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

		private final LongAdder requests = new LongAdder();

		private final LongAdder nanos = new LongAdder();

		private final Map<String, LongAdder> waited = new ConcurrentHashMap<>();

		void book(long nanos, Map<String, Long> waited, Endpoint seen) {
			this.requests.increment();
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
