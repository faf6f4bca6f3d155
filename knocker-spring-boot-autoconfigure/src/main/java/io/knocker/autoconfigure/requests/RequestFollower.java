package io.knocker.autoconfigure.requests;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.knocker.Doors;
import io.knocker.KnockKnock;
import io.knocker.MeasuredCall;
import io.knocker.autoconfigure.Knockers;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import io.micrometer.observation.ObservationHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Follows every web request from its {@code http.server.requests} observation, with no
 * annotation: as the observation starts, on the request's thread, it opens a
 * {@link MeasuredCall} on every door that can tell whether a thread waits at it and notes
 * the JVM's pauses so far; as the observation stops (its filters run before its handlers
 * are told, so the key values reach the trace) it books, under the request's endpoint,
 * the time the request waited at each door:
 * <ul>
 * <li>{@code http}: queued for a worker, stamped at the hand-off ({@link HandOffStamp});
 * <li>a lock, read-write lock, semaphore, monitor or connection-pool door: its looks'
 * estimate ({@link MeasuredCall#estimatedWaitNanos()}), which rides the door's cycle;
 * <li>{@code jvm}: the collectors' pauses during the request, exact, and the starvation
 * its windows measured.
 * </ul>
 * The endpoint is the method and uri template Spring's default convention gives, read
 * from the observation's own context ({@link RequestKeys}), whatever convention the
 * application configured. A request that leaves its thread (async servlet, as its scope
 * closes; WebFlux, always) gets the exact parts only: its thread goes on to serve others.
 * A request whose observation never stops is booked as it stood once it has been open
 * {@code maxOpen}, and never again; open requests are swept at most once a second, by the
 * requests that start and stop meanwhile. The request's observation gets the waits above
 * zero as {@code knocker.request.wait.<door>} high-cardinality key values, in seconds.
 * Nothing here ever breaks a request: a failure is logged once.
 */
public class RequestFollower implements ObservationHandler<Observation.Context>, ObservationFilter {

	/** The default bound on how long a request's observation is waited for. */
	public static final Duration DEFAULT_MAX_OPEN = Duration.ofMinutes(10);

	/** The trace keys' prefix, followed by the door's name. */
	static final String WAIT_KEY = "knocker.request.wait.";

	private static final Log logger = LogFactory.getLog(RequestFollower.class);

	private static final String UNKNOWN = "UNKNOWN";

	private static final long SWEEP_EVERY = TimeUnit.SECONDS.toNanos(1);

	private final Supplier<Knockers> knockers;

	private final RequestLedger ledger;

	private final Predicate<Observation.Context> servlet;

	private final Predicate<Observation.Context> reactive;

	private final Predicate<String> ignored;

	private final RequestKeys keys = RequestKeys.spring();

	private final long maxOpen;

	private final long sweepEvery;

	/** Requests open now, for the sweep of those whose observation never stops. */
	private final Set<Followed> open = ConcurrentHashMap.newKeySet();

	private final AtomicLong nextSweep;

	private volatile boolean failureLogged;

	private volatile boolean unnamedLogged;

	private volatile @Nullable Knockers resolved;

	/**
	 * The doors that can tell, as of the knockers' map last seen (replaced on change).
	 */
	private volatile Telling telling = new Telling(Map.of());

	/**
	 * Creates the follower, which waits {@link #DEFAULT_MAX_OPEN} for a request's
	 * observation to stop.
	 * @param knockers the doors, asked for at the first request
	 * @param ledger where requests are booked
	 * @param servlet whether a context is a servlet request's (followed on its thread)
	 * @param reactive whether a context is a reactive request's (exact parts only)
	 * @param ignored uris not booked (the contention endpoint's own)
	 */
	public RequestFollower(Supplier<Knockers> knockers, RequestLedger ledger, Predicate<Observation.Context> servlet,
			Predicate<Observation.Context> reactive, Predicate<String> ignored) {
		this(knockers, ledger, servlet, reactive, ignored, DEFAULT_MAX_OPEN);
	}

	/**
	 * Creates the follower.
	 * @param knockers the doors, asked for at the first request
	 * @param ledger where requests are booked
	 * @param servlet whether a context is a servlet request's (followed on its thread)
	 * @param reactive whether a context is a reactive request's (exact parts only)
	 * @param ignored uris not booked (the contention endpoint's own)
	 * @param maxOpen how long a request's observation may stay open before the request is
	 * booked as it stood
	 */
	public RequestFollower(Supplier<Knockers> knockers, RequestLedger ledger, Predicate<Observation.Context> servlet,
			Predicate<Observation.Context> reactive, Predicate<String> ignored, Duration maxOpen) {
		if (maxOpen.isNegative() || maxOpen.isZero()) {
			throw new IllegalArgumentException("maxOpen must be positive, was " + maxOpen);
		}
		this.knockers = knockers;
		this.ledger = ledger;
		this.servlet = servlet;
		this.reactive = reactive;
		this.ignored = ignored;
		this.maxOpen = maxOpen.toNanos();
		this.sweepEvery = Math.min(SWEEP_EVERY, this.maxOpen);
		this.nextSweep = new AtomicLong(System.nanoTime() + this.sweepEvery);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return this.servlet.test(context) || this.reactive.test(context);
	}

	@Override
	public void onStart(Observation.Context context) {
		try {
			Followed followed = new Followed(context, this.servlet.test(context) ? telling() : null);
			context.put(Followed.class, followed);
			this.open.add(followed);
			sweep(followed.started);
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	@Override
	public void onScopeClosed(Observation.Context context) {
		try {
			// An async servlet request leaves its thread here, and the thread goes on to
			// serve others: looked at no more, it keeps its exact parts only.
			Followed followed = context.get(Followed.class);
			if (followed != null && this.keys.asyncStarted(context)) {
				followed.detach();
			}
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
	}

	@Override
	public Observation.Context map(Observation.Context context) {
		Followed followed = context.get(Followed.class);
		if (followed == null) {
			return context;
		}
		context.remove(Followed.class);
		try {
			this.open.remove(followed);
			long ended = System.nanoTime();
			// Looks at the thread stand for the request only if it ends where it began.
			Map<String, Long> waited = followed.end(Thread.currentThread() == followed.thread);
			if (waited != null) {
				book(context, followed.nanos(ended), waited, true);
			}
			sweep(ended);
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
		return context;
	}

	/**
	 * Books, as they stand, the requests open longer than {@code maxOpen}: at most once a
	 * {@code sweepEvery}, by whichever request gets there first.
	 */
	private void sweep(long now) {
		long next = this.nextSweep.get();
		if (now - next < 0 || !this.nextSweep.compareAndSet(next, now + this.sweepEvery)) {
			return;
		}
		for (Followed followed : this.open) {
			if (now - followed.started > this.maxOpen && this.open.remove(followed)) {
				// Still on its thread unless it went async, in which case it is detached.
				Map<String, Long> waited = followed.end(true);
				if (waited != null) {
					book(followed.context, followed.nanos(now), waited, false);
				}
			}
		}
	}

	private void book(Observation.Context context, long nanos, Map<String, Long> waited, boolean stopped) {
		String method = null;
		String uri = null;
		Throwable failure = null;
		try {
			method = this.keys.method(context);
			uri = this.keys.uri(context);
		}
		catch (RuntimeException | LinkageError ex) {
			failure = ex;
		}
		if (method == null || uri == null) {
			unnamed(context, failure);
			method = UNKNOWN;
			uri = UNKNOWN;
		}
		if (this.ignored.test(uri)) {
			return;
		}
		this.ledger.book(method, uri, nanos, waited);
		if (stopped) {
			// An abandoned request's context may be in use elsewhere: no key values.
			waited.forEach((door, wait) -> {
				if (wait > 0) {
					context.addHighCardinalityKeyValue(KeyValue.of(WAIT_KEY + door, Followed.seconds(wait)));
				}
			});
		}
	}

	private Telling telling() {
		Knockers resolved = this.resolved;
		if (resolved == null) {
			// Asked for at the first request, then kept: not a bean lookup per request.
			resolved = this.knockers.get();
			this.resolved = resolved;
		}
		Map<String, KnockKnock> knockers = resolved.asMap();
		Telling telling = this.telling;
		if (telling.source != knockers) {
			telling = new Telling(knockers);
			this.telling = telling;
		}
		return telling;
	}

	private void unnamed(Observation.Context context, @Nullable Throwable ex) {
		if (!this.unnamedLogged) {
			this.unnamedLogged = true;
			logger.warn("Cannot read the endpoint of a request from its observation (" + context.getClass().getName()
					+ "); its requests are booked under UNKNOWN", ex);
		}
	}

	private void failed(RuntimeException ex) {
		if (!this.failureLogged) {
			this.failureLogged = true;
			logger.warn("Failed to follow a request's waits; the request itself is unaffected", ex);
		}
	}

	/** The knockers whose doors tell whether a thread waits at them, by name. */
	static final class Telling {

		private final Map<String, KnockKnock> source;

		private final String[] names;

		private final KnockKnock[] knockers;

		Telling(Map<String, KnockKnock> source) {
			this.source = source;
			Map<String, KnockKnock> telling = new LinkedHashMap<>();
			source.forEach((name, knocker) -> {
				if (knocker.tellsWaiting()) {
					telling.put(name, knocker);
				}
			});
			this.names = telling.keySet().toArray(String[]::new);
			this.knockers = telling.values().toArray(KnockKnock[]::new);
		}

	}

	/** One request being followed. */
	static final class Followed {

		private static final String[] NO_DOORS = {};

		private final long started = System.nanoTime();

		private final long queuedNanos = HandOffStamp.queuedNanos();

		private final long pausesAtStart = Doors.gcPauseNanos();

		private final Thread thread = Thread.currentThread();

		private final Observation.Context context;

		private final String[] doors;

		/** A call per door, {@code null} where the door's knocker is not running. */
		private final @Nullable MeasuredCall[] calls;

		/** Booked once, whether its observation stopped or it was abandoned first. */
		private final AtomicBoolean booked = new AtomicBoolean();

		/** Opens a call on every door that can tell, for a request on its thread. */
		Followed(Observation.Context context, @Nullable Telling telling) {
			this.context = context;
			if (telling == null) {
				this.doors = NO_DOORS;
				this.calls = new MeasuredCall[0];
				return;
			}
			this.doors = telling.names;
			this.calls = new MeasuredCall[this.doors.length];
			for (int i = 0; i < this.calls.length; i++) {
				KnockKnock knocker = telling.knockers[i];
				this.calls[i] = knocker.isRunning() ? knocker.open() : null;
			}
		}

		/** Its thread is looked at no more: the request goes on elsewhere. */
		void detach() {
			for (MeasuredCall call : this.calls) {
				if (call != null) {
					call.detach();
				}
			}
		}

		/** Its time, from the hand-off. */
		long nanos(long ended) {
			return (ended - this.started) + Math.max(0, this.queuedNanos);
		}

		/**
		 * Closes its calls and returns the time it waited at each door, or {@code null}
		 * if it was ended before.
		 */
		@Nullable Map<String, Long> end(boolean looksAreItsOwn) {
			if (!this.booked.compareAndSet(false, true)) {
				return null;
			}
			Map<String, Long> waited = new LinkedHashMap<>();
			if (this.queuedNanos >= 0) {
				waited.put(HandOffStamp.DOOR, this.queuedNanos);
			}
			// Read once: the jvm door's exact part, and every request's without one.
			long pauses = Doors.gcPauseNanos() - this.pausesAtStart;
			for (int i = 0; i < this.calls.length; i++) {
				MeasuredCall call = this.calls[i];
				if (call == null) {
					continue;
				}
				call.close();
				String door = this.doors[i];
				if (Knockers.JVM.equals(door)) {
					waited.put(door, pauses + Math.max(0, call.estimatedWaitNanos()));
					continue;
				}
				long estimate = looksAreItsOwn ? call.estimatedWaitNanos() : -1;
				if (estimate >= 0) {
					waited.put(door, estimate);
				}
			}
			waited.putIfAbsent(Knockers.JVM, pauses);
			return waited;
		}

		/** Seconds to the microsecond, as "0.012345": no floating-point formatting. */
		static String seconds(long nanos) {
			long micros = (nanos + 500) / 1000;
			String fraction = Long.toString(1_000_000 + micros % 1_000_000);
			return (micros / 1_000_000) + "." + fraction.substring(1);
		}

	}

}
