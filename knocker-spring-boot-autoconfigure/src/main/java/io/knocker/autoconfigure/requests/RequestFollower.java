package io.knocker.autoconfigure.requests;

import java.util.LinkedHashMap;
import java.util.Map;
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
 * are told, so the key values reach the trace) it books, under the request's
 * {@code method} and {@code uri} tags, the time the request waited at each door:
 * <ul>
 * <li>{@code http}: queued for a worker, stamped at the hand-off ({@link HandOffStamp});
 * <li>a lock, read-write lock, semaphore, monitor or connection-pool door: its looks'
 * estimate ({@link MeasuredCall#estimatedWaitNanos()}), which rides the door's cycle;
 * <li>{@code jvm}: the collectors' pauses during the request, exact, and the starvation
 * its windows measured.
 * </ul>
 * A request that left its thread (async servlet, WebFlux) gets the exact parts only.
 * Nothing here ever breaks a request: a failure is logged once.
 */
public class RequestFollower implements ObservationHandler<Observation.Context>, ObservationFilter {

	private static final Log logger = LogFactory.getLog(RequestFollower.class);

	private final Supplier<Knockers> knockers;

	private final RequestLedger ledger;

	private final Predicate<Observation.Context> servlet;

	private final Predicate<Observation.Context> reactive;

	private final Predicate<String> ignored;

	private volatile boolean failureLogged;

	private volatile @Nullable Knockers resolved;

	/**
	 * The doors that can tell, as of the knockers' map last seen (replaced on change).
	 */
	private volatile Telling telling = new Telling(Map.of());

	/**
	 * Creates the follower.
	 * @param knockers the doors, asked for at the first request
	 * @param ledger where requests are booked
	 * @param servlet whether a context is a servlet request's (followed on its thread)
	 * @param reactive whether a context is a reactive request's (exact parts only)
	 * @param ignored uris not booked (the contention endpoint's own)
	 */
	public RequestFollower(Supplier<Knockers> knockers, RequestLedger ledger, Predicate<Observation.Context> servlet,
			Predicate<Observation.Context> reactive, Predicate<String> ignored) {
		this.knockers = knockers;
		this.ledger = ledger;
		this.servlet = servlet;
		this.reactive = reactive;
		this.ignored = ignored;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return this.servlet.test(context) || this.reactive.test(context);
	}

	@Override
	public void onStart(Observation.Context context) {
		try {
			context.put(Followed.class, new Followed(this.servlet.test(context) ? telling() : null));
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
			followed.end(context, this.ledger, this.ignored);
		}
		catch (RuntimeException ex) {
			failed(ex);
		}
		return context;
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

		private final String[] doors;

		/** A call per door, {@code null} where the door's knocker is not running. */
		private final @Nullable MeasuredCall[] calls;

		/** Opens a call on every door that can tell, for a request on its thread. */
		Followed(@Nullable Telling telling) {
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

		void end(Observation.Context context, RequestLedger ledger, Predicate<String> ignored) {
			long ended = System.nanoTime();
			boolean onItsThread = Thread.currentThread() == this.thread;
			Map<String, Long> waited = new LinkedHashMap<>();
			if (this.queuedNanos >= 0) {
				waited.put(HandOffStamp.DOOR, this.queuedNanos);
			}
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
				long estimate = onItsThread ? call.estimatedWaitNanos() : -1;
				if (estimate >= 0) {
					waited.put(door, estimate);
				}
			}
			// Followed off its thread, or with no jvm knocker: the pauses are exact all
			// the same.
			waited.putIfAbsent(Knockers.JVM, pauses);
			KeyValue method = context.getLowCardinalityKeyValue("method");
			KeyValue uri = context.getLowCardinalityKeyValue("uri");
			if (method == null || uri == null || ignored.test(uri.getValue())) {
				return;
			}
			long nanos = (ended - this.started) + Math.max(0, this.queuedNanos);
			ledger.book(method.getValue(), uri.getValue(), nanos, waited);
			waited.forEach((door, wait) -> {
				if (wait > 0) {
					context.addHighCardinalityKeyValue(KeyValue.of("knocker.waited." + door, seconds(wait)));
				}
			});
		}

		/** Seconds to the microsecond, as "0.012345": no floating-point formatting. */
		static String seconds(long nanos) {
			long micros = (nanos + 500) / 1000;
			String fraction = Long.toString(1_000_000 + micros % 1_000_000);
			return (micros / 1_000_000) + "." + fraction.substring(1);
		}

	}

}
