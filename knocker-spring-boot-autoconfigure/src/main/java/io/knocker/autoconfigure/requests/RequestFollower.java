package io.knocker.autoconfigure.requests;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * <li>{@code cpu}: the request's thread runnable but not running, waiting for a core: the
 * kernel's own count ({@link Doors#runQueueNanos()}, Linux), read at both ends of the
 * request on its thread, for every request that starts at least
 * {@link Followed#CPU_SAMPLE_EVERY} after the last one read on that thread (about 2 µs a
 * read), the unread ones' time booked with the next read one ({@link RequestLedger});
 * where the kernel keeps no count (macOS, Windows), the {@code jvm} door's estimate of
 * starvation within the request; absent on a virtual thread;
 * <li>{@code jvm}: the collectors' pauses during the request, exact, never more than the
 * request's time.
 * </ul>
 * A request's parts never sum above its time: the looked-at doors' estimates give way
 * first. The endpoint is the method and uri template Spring's default convention gives,
 * read from the observation's own context ({@link RequestKeys}), whatever convention the
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
			long nanos = followed.nanos(ended);
			Map<String, Long> waited = followed.end(Thread.currentThread() == followed.thread, false, nanos);
			if (waited != null) {
				book(context, nanos, waited, followed.cpuFollowed(), true);
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
				long nanos = followed.nanos(now);
				Map<String, Long> waited = followed.end(false, true, nanos);
				if (waited != null) {
					book(followed.context, nanos, waited, false, false);
				}
			}
		}
	}

	private void book(Observation.Context context, long nanos, Map<String, Long> waited, boolean cpuFollowed,
			boolean stopped) {
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
		if (this.ignored.test(uri) || isIgnoredPath(context)) {
			return;
		}
		// The ledger fits the parts into the endpoint's time; the trace, into the
		// request's.
		this.ledger.book(method, uri, nanos, waited, cpuFollowed);
		if (stopped) {
			// An abandoned request's context may be in use elsewhere: no key values.
			Followed.fitInto(waited, nanos);
			waited.forEach((door, wait) -> {
				if (wait > 0) {
					context.addHighCardinalityKeyValue(KeyValue.of(WAIT_KEY + door, Followed.seconds(wait)));
				}
			});
		}
	}

	/**
	 * Whether the request's path, as sent, is Knocker's own: a request a security filter
	 * rejected matched no endpoint, and is keyed {@code UNKNOWN}.
	 */
	private boolean isIgnoredPath(Observation.Context context) {
		try {
			String path = this.keys.path(context);
			return path != null && this.ignored.test(path);
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
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

		/** The least time between two reads of a thread's wait for a core. */
		static final long CPU_SAMPLE_EVERY = TimeUnit.MILLISECONDS.toNanos(1);

		/** The request gets no kernel count: reactive, off its thread, or virtual. */
		private static final long CPU_NOT_FOLLOWED = -2;

		/** The request's count was not read: booked with the next one read. */
		private static final long CPU_NOT_READ = -1;

		/** Whether the kernel counts threads' waits for a core here (Linux). */
		static final boolean KERNEL_COUNTS = Doors.runQueueCounted();

		/** {@code Thread#isVirtual()} on JDK 21+, else {@code null}. */
		private static final @Nullable MethodHandle IS_VIRTUAL = isVirtualHandle();

		/** When each thread last read its count. */
		private static final ThreadLocal<long[]> CPU_READ_AT = ThreadLocal.withInitial(() -> new long[] { 0 });

		private static final String CPU = "cpu";

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

		/** The thread's wait for a core at the start, or one of the CPU_ marks. */
		private final long runQueueAtStart;

		private volatile boolean detached;

		/** Opens a call on every door that can tell, for a request on its thread. */
		Followed(Observation.Context context, @Nullable Telling telling) {
			this.context = context;
			this.runQueueAtStart = (telling != null && KERNEL_COUNTS) ? readRunQueue(this.started) : CPU_NOT_FOLLOWED;
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

		/**
		 * The thread's wait for a core, if its last reading is old enough; -2 on a
		 * virtual thread.
		 */
		private static long readRunQueue(long now) {
			if (isVirtual(Thread.currentThread())) {
				return CPU_NOT_FOLLOWED;
			}
			long[] readAt = CPU_READ_AT.get();
			if (now - readAt[0] < CPU_SAMPLE_EVERY) {
				return CPU_NOT_READ;
			}
			readAt[0] = now;
			long runQueue = Doors.runQueueNanos();
			return (runQueue >= 0) ? runQueue : CPU_NOT_FOLLOWED;
		}

		private static boolean isVirtual(Thread thread) {
			try {
				return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invokeExact(thread);
			}
			catch (Throwable ex) {
				return false;
			}
		}

		private static @Nullable MethodHandle isVirtualHandle() {
			try {
				return MethodHandles.publicLookup()
					.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
			}
			catch (ReflectiveOperationException ex) {
				return null;
			}
		}

		/**
		 * Whether the request could have had the kernel's count: if it has none, its time
		 * is booked with the next request that has.
		 */
		boolean cpuFollowed() {
			return this.runQueueAtStart != CPU_NOT_FOLLOWED && !this.detached;
		}

		/** Its thread is looked at no more: the request goes on elsewhere. */
		void detach() {
			this.detached = true;
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
		 * @param onItsThread whether called on the request's thread, where it began
		 * @param abandoned whether its observation never stopped (called by the sweep)
		 * @param nanos the request's time
		 */
		@Nullable Map<String, Long> end(boolean onItsThread, boolean abandoned, long nanos) {
			if (!this.booked.compareAndSet(false, true)) {
				return null;
			}
			// Looks at the thread stand for the request while it has not left it.
			boolean looksAreItsOwn = !this.detached && (onItsThread || abandoned);
			Map<String, Long> waited = new LinkedHashMap<>();
			if (this.queuedNanos >= 0) {
				waited.put(HandOffStamp.DOOR, this.queuedNanos);
			}
			if (this.runQueueAtStart >= 0 && onItsThread && looksAreItsOwn) {
				long runQueue = Doors.runQueueNanos() - this.runQueueAtStart;
				if (runQueue >= 0) {
					waited.put(CPU, runQueue);
				}
			}
			// Read once: the jvm door's exact part, and every request's without one.
			waited.put(Knockers.JVM,
					Math.min(Math.max(0, nanos), Math.max(0, Doors.gcPauseNanos() - this.pausesAtStart)));
			for (int i = 0; i < this.calls.length; i++) {
				MeasuredCall call = this.calls[i];
				if (call == null) {
					continue;
				}
				call.close();
				long estimate = looksAreItsOwn ? call.estimatedWaitNanos() : -1;
				if (Knockers.JVM.equals(this.doors[i])) {
					if (!KERNEL_COUNTS && estimate > 0 && !isVirtual(this.thread)) {
						// No count from the kernel: the jvm door's starvation estimate.
						waited.put(CPU, estimate);
					}
				}
				else if (estimate >= 0) {
					waited.put(this.doors[i], estimate);
				}
			}
			return waited;
		}

		/**
		 * Makes the parts of one request's trace sum to at most its time: a look stands
		 * for a knock's interval, often more than a short request's time, and gives way
		 * first, then the exact parts in turn. (Its endpoint's books keep the looks
		 * whole: {@link RequestLedger}.)
		 */
		static void fitInto(Map<String, Long> waited, long nanos) {
			long total = 0;
			long looked = 0;
			for (Map.Entry<String, Long> entry : waited.entrySet()) {
				total += entry.getValue();
				String door = entry.getKey();
				if (!door.equals(HandOffStamp.DOOR) && !door.equals(CPU) && !door.equals(Knockers.JVM)) {
					looked += entry.getValue();
				}
			}
			long excess = total - Math.max(0, nanos);
			if (excess <= 0) {
				return;
			}
			if (looked > 0) {
				double keep = Math.max(0.0, 1.0 - (double) excess / looked);
				for (Map.Entry<String, Long> entry : waited.entrySet()) {
					String door = entry.getKey();
					if (!door.equals(HandOffStamp.DOOR) && !door.equals(CPU) && !door.equals(Knockers.JVM)) {
						entry.setValue((long) (entry.getValue() * keep));
					}
				}
				excess -= Math.min(excess, looked);
			}
			for (String door : new String[] { Knockers.JVM, CPU, HandOffStamp.DOOR }) {
				Long wait = waited.get(door);
				if (excess > 0 && wait != null) {
					long cut = Math.min(excess, wait);
					waited.put(door, wait - cut);
					excess -= cut;
				}
			}
		}

		/** Seconds to the microsecond, as "0.012345": no floating-point formatting. */
		static String seconds(long nanos) {
			long micros = (nanos + 500) / 1000;
			String fraction = Long.toString(1_000_000 + micros % 1_000_000);
			return (micros / 1_000_000) + "." + fraction.substring(1);
		}

	}

}
