package io.knocker.autoconfigure.endpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.knocker.HolderSite;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.endpoint.ContentionEndpoint.Part;
import io.knocker.autoconfigure.requests.HandOffStamp;
import io.knocker.autoconfigure.requests.RequestLedger;
import org.jspecify.annotations.Nullable;

/**
 * What to change, and what it would give: advice per door from what was measured since
 * the last reset, worked out when asked (never on a request's path).
 * <p>
 * A pool-like door (connection pool, semaphore, executor, the server's workers) is sized
 * with the M/M/c queue: its busy ratio (random looks that found every connection, permit
 * or thread taken) fits the offered load at its capacity now, and the waits its requests
 * measured are scaled by the model's ratio of mean waits at another size. A lock or
 * monitor is a queue of one: halving the hold halves the load and the hold. The CPU is
 * sized from the process's CPU time and the requests' own wait for a core. Advice says
 * so, rather than guess, when a door is not where requests wait, when the cores are busy
 * (more threads or connections would only move the wait to the CPU), and when too little
 * was measured.
 */
public final class Advisor {

	/** A wait under this share of the requests' time is not worth a change. */
	static final double LOW = 0.05;

	/** Cores busier than this: the CPU, not a pool, is what requests queue for. */
	static final double CPU_BUSY = 0.8;

	/**
	 * Requests waiting for a core this share of their time, on busy cores, are CPU-bound.
	 */
	static final double CPU_WAITED = 0.1;

	/** Busy at nearly every look: the load cannot be told from the busy ratio. */
	static final double SATURATED = 0.99;

	static final long MIN_REQUESTS = 50;

	/** Verdicts that tell a door to change. */
	private static final Set<String> ACTIONABLE = Set.of("grow", "shorten-hold", "saturated");

	static final double MIN_SECONDS = 10;

	/** The largest size a prediction looks at, beyond the capacity now. */
	private static final int MAX_GROWTH = 64;

	private static final int TOP_HOLDERS = 3;

	/**
	 * A capacity beyond this is no bound (a pool of Integer.MAX_VALUE threads): unknown.
	 */
	static final int MAX_CAPACITY = 10_000;

	private final Knockers knockers;

	private final RequestLedger requests;

	private final Function<String, @Nullable String> settings;

	private final Supplier<Times> clock;

	private final int cores;

	private volatile Times since;

	/**
	 * An advisor on the doors and the requests given.
	 * @param knockers the doors
	 * @param requests the requests' waits by endpoint and door
	 * @param settings the property that sets a door's size, by door name; {@code null}
	 * when there is none
	 */
	public Advisor(Knockers knockers, RequestLedger requests, Function<String, @Nullable String> settings) {
		this(knockers, requests, settings, Times.reader(), Runtime.getRuntime().availableProcessors());
	}

	Advisor(Knockers knockers, RequestLedger requests, Function<String, @Nullable String> settings,
			Supplier<Times> clock, int cores) {
		this.knockers = knockers;
		this.requests = requests;
		this.settings = settings;
		this.clock = clock;
		this.cores = cores;
		reset();
	}

	/** Starts the advice over from now, as a reset of the endpoint does. */
	public void reset() {
		this.since = this.clock.get();
	}

	/**
	 * Advice for every door but {@code jvm}, and for the CPU ({@code cpu}).
	 * @return the advice by door
	 */
	public Map<String, Advice> advise() {
		Map<String, Reading> doors = new LinkedHashMap<>();
		this.knockers.asMap().forEach((name, knocker) -> {
			String kind = knocker.getDoor().kind();
			if (Sizing.of(kind) != null) {
				int capacity;
				try {
					capacity = knocker.getDoor().capacity();
				}
				catch (RuntimeException ex) {
					// A door of a user's, or a pool between a stop and a start: unknown.
					capacity = 0;
				}
				// The server's queue is stamped ("http"), whatever its door can tell.
				doors.put(name,
						new Reading(kind, capacity, knocker.getBusyRatio(),
								knocker.samplesHolders() ? top(knocker.getHolders()) : null,
								knocker.tellsWaiting() || HandOffStamp.DOOR.equals(name)));
			}
		});
		return advise(doors);
	}

	/** Advice on the doors read, and the CPU. */
	Map<String, Advice> advise(Map<String, Reading> doors) {
		Times since = this.since;
		Times now = this.clock.get();
		double elapsed = Math.max(0, now.nanos() - since.nanos()) / 1e9;
		Double busyCores = (now.cpuNanos() >= 0 && since.cpuNanos() >= 0 && elapsed > 0)
				? (now.cpuNanos() - since.cpuNanos()) / 1e9 / elapsed : null;
		long machineTicks = now.machineTicks() - since.machineTicks();
		// In a container the kernel's count is the host's cores, the JVM's those of its
		// quota: the two are compared only where they are the same cores.
		Double machineUse = (since.machineTicks() >= 0 && machineTicks > 0 && now.machineCores() == this.cores
				&& since.machineCores() == this.cores)
						? (double) (now.machineBusyTicks() - since.machineBusyTicks()) / machineTicks : null;
		Window window = new Window(elapsed, this.requests.asMap().values(), busyCores, machineUse, this.cores);
		// The server's workers last: their advice reads what the doors further on were
		// told.
		Map<String, Advice> further = new LinkedHashMap<>();
		doors.forEach((name, reading) -> {
			if (!HandOffStamp.DOOR.equals(name)) {
				further.put(name, door(name, reading, window, Map.of()));
			}
		});
		Map<String, Advice> advice = new LinkedHashMap<>();
		doors.forEach((name, reading) -> advice.put(name,
				HandOffStamp.DOOR.equals(name) ? door(name, reading, window, further) : further.get(name)));
		advice.put(RequestLedger.CPU, window.cpu());
		return advice;
	}

	/**
	 * A door's advice; for the server's workers, {@code further} holds the other doors'.
	 */
	private Advice door(String name, Reading reading, Window window, Map<String, Advice> further) {
		String kind = reading.kind();
		Sizing sizing = Sizing.of(kind);
		int capacity = reading.capacity();
		double busy = reading.busyRatio();
		Waits waits = window.at(name);
		List<HolderSite> holders = reading.holders();
		String setting = setting(name);
		Advice.Builder advice = new Advice.Builder(kind)
			.capacity((capacity > 0 && capacity <= MAX_CAPACITY) ? capacity : null)
			.busyRatio(busy)
			.waits(waits, window.elapsed)
			.holders(holders)
			.setting(setting);
		String unit = unit(kind, name);
		if (capacity <= 0 || capacity > MAX_CAPACITY) {
			return advice.verdict("no-capacity",
					name + " does not say how many " + unit + " it lets through at once: Knocker cannot size it.");
		}
		if (window.tooLittle()) {
			return advice.verdict("too-little-measured", window.tooLittleSays());
		}
		if (!reading.tellsWaits()) {
			return advice.verdict("waits-unknown", name + " cannot tell which thread waits at it, so the requests'"
					+ " wait there is not known (busy at " + percent(busy) + " of looks): Knocker does not size it.");
		}
		String waited = "Requests wait " + percent(waits.share()) + " of their time at " + name + " (" + capacity + " "
				+ unit + ", busy at " + percent(busy) + " of looks)";
		if (waits.share() < LOW) {
			return advice.verdict("not-the-bottleneck", waited + ": not where they wait.");
		}
		if (busy <= 0) {
			// Never full when looked at: a larger one would not shorten the wait (on busy
			// cores, the wait for a core right after the hand-off shows at the door).
			return advice.verdict("not-the-bottleneck",
					waited + ", but no look found it full: its size is not what they wait for.");
		}
		if (waits.requests() < MIN_REQUESTS) {
			return advice.verdict("too-little-measured", waited + ", but " + waits.requests()
					+ " requests waited here: too few to size it on (" + MIN_REQUESTS + " at least).");
		}
		if (sizing == Sizing.HELD) {
			return held(name, advice, waits, busy, waited, holders);
		}
		if (window.cpuBound(waits)) {
			return advice.verdict("cpu-bound", waited + ", but the cores are busy " + window.busyCoresSays() + ": more "
					+ unit + " would only move the wait to the CPU. Add cores or cut CPU work first.");
		}
		// A worker is held while its request waits further on: a pool or lock the same
		// requests queue at longer, and that is told to change, comes first; its shorter
		// wait shortens the queue for a worker too.
		String first = window.waitedMostBeyond(waits, further);
		if (first != null) {
			return advice.verdict("downstream-first",
					waited + ", but the same requests wait " + percent(window.share(waits, first)) + " at " + first
							+ ", holding a worker all the while: see " + first
							+ "'s advice first; more workers would only queue there.");
		}
		if (busy >= SATURATED) {
			return advice.verdict("saturated", waited + ": taken at nearly every look, so its load cannot be told."
					+ " It needs more than " + capacity + "; try " + (2 * capacity) + " and read again.");
		}
		double load = Queueing.loadFor(capacity, busy);
		advice.utilisation(load / capacity);
		Integer advised = null;
		List<Advice.Prediction> predictions = new ArrayList<>();
		for (int size = capacity + 1; size <= capacity + Math.max(MAX_GROWTH, 4 * capacity); size++) {
			double ratio = Queueing.meanWait(size, load) / Queueing.meanWait(capacity, load);
			double share = waits.shareIf(ratio);
			if (size == capacity + 1 || size == 2 * capacity || share < LOW) {
				predictions.add(new Advice.Prediction(name, size, 1.0, share));
			}
			if (share < LOW) {
				advised = size;
				break;
			}
		}
		advice.predictions(predictions).advised(advised);
		Advice.Prediction next = predictions.get(0);
		String to = (advised != null) ? " With " + advised + ", under " + percent(LOW) + " ("
				+ percent(predictions.get(predictions.size() - 1).share()) + ")" : "";
		String how = (advised == null) ? "" : (setting != null) ? ": " + setting + "=" + advised + "." : ".";
		return advice.verdict("grow",
				waited + "; the most, " + waits.worst() + " (" + percent(waits.worstShare()) + "). With " + next.size()
						+ " " + unit + " they would wait about " + percent(next.share()) + "." + to + how);
	}

	private static Advice held(String name, Advice.Builder advice, Waits waits, double busy, String waited,
			@Nullable List<HolderSite> holders) {
		if (busy >= SATURATED) {
			return advice.verdict("saturated", waited + ": held at nearly every look; shorten what is done"
					+ " while holding it" + heldAt(holders) + ".");
		}
		// A queue of one: halving the hold halves the load (rho) and the mean hold.
		double rho = busy;
		double ratio = ((rho / 2) / (1 - rho / 2) / 2) / (rho / (1 - rho));
		double share = waits.shareIf(ratio);
		advice.predictions(List.of(new Advice.Prediction(name, 1, 0.5, share)));
		return advice.verdict("shorten-hold", waited + ". Halving the time it is held would bring that to about "
				+ percent(share) + heldAt(holders) + ".");
	}

	private static String heldAt(@Nullable List<HolderSite> holders) {
		return (holders != null && !holders.isEmpty() && !holders.get(0).frames().isEmpty())
				? "; held most at " + holders.get(0).frames().get(0) : "";
	}

	private static List<HolderSite> top(List<HolderSite> holders) {
		return holders.subList(0, Math.min(TOP_HOLDERS, holders.size()));
	}

	/** What a door's capacity is counted in. */
	private static String unit(String kind, String name) {
		return switch (kind) {
			case "connection-pool" -> "connections";
			case "semaphore" -> "permits";
			case "executor" -> HandOffStamp.DOOR.equals(name) ? "workers" : "threads";
			default -> "holder";
		};
	}

	/** A share in per cent: to a tenth below 10 % (4.7 % is not under 5 % rounded up). */
	static String percent(double share) {
		double percent = share * 100;
		return (percent < 9.95) ? String.format(Locale.ROOT, "%.1f %%", percent) : Math.round(percent) + " %";
	}

	private @Nullable String setting(String name) {
		try {
			return this.settings.apply(name);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	static String format(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	/**
	 * The clocks advice reads: the time, the process's CPU time, and the machine's busy
	 * and total CPU ticks.
	 *
	 * @param nanos {@link System#nanoTime()}
	 * @param cpuNanos the process's CPU time; -1 where the JVM does not say
	 * @param machineBusyTicks the machine's CPU ticks not idle, all cores together; -1
	 * without {@code /proc/stat}
	 * @param machineTicks all its CPU ticks; -1 likewise
	 * @param machineCores the cores those ticks are of ({@code cpuN} lines); -1 likewise
	 */
	record Times(long nanos, long cpuNanos, long machineBusyTicks, long machineTicks, int machineCores) {

		private static final Path STAT = Path.of("/proc/stat");

		/** The JVM's and the kernel's clocks, read when asked. */
		static Supplier<Times> reader() {
			OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
			LongSupplier cpu = (system instanceof com.sun.management.OperatingSystemMXBean process)
					? process::getProcessCpuTime : () -> -1;
			return () -> {
				long[] machine = machine(STAT);
				return new Times(System.nanoTime(), cpu.getAsLong(), machine[0], machine[1], (int) machine[2]);
			};
		}

		/**
		 * The first line of {@code /proc/stat}: user, nice, system, idle, iowait, irq,
		 * softirq, steal ticks; busy is all but idle and iowait. Then the cores, one
		 * {@code cpuN} line each.
		 */
		static long[] machine(Path stat) {
			try (BufferedReader reader = Files.newBufferedReader(stat)) {
				String[] fields = reader.readLine().trim().split("\\s+");
				long busy = 0;
				long total = 0;
				for (int i = 1; i <= 8 && i < fields.length; i++) {
					long ticks = Long.parseLong(fields[i]);
					total += ticks;
					busy += (i == 4 || i == 5) ? 0 : ticks;
				}
				long cores = 0;
				for (String line = reader.readLine(); line != null
						&& line.startsWith("cpu"); line = reader.readLine()) {
					cores++;
				}
				return new long[] { busy, total, cores };
			}
			catch (IOException | RuntimeException ex) {
				return new long[] { -1, -1, -1 };
			}
		}

	}

	/**
	 * What a door's knocker read since the last reset.
	 *
	 * @param kind the door's kind
	 * @param capacity how many get through at once; 0 when it cannot tell
	 * @param busyRatio the share of looks that found it taken
	 * @param holders its top holding sites; {@code null} for a door with no holder
	 * @param tellsWaits whether the requests' waits at the door are booked (a door that
	 * cannot tell which thread waits books none)
	 */
	record Reading(String kind, int capacity, double busyRatio, @Nullable List<HolderSite> holders,
			boolean tellsWaits) {

		Reading(String kind, int capacity, double busyRatio, @Nullable List<HolderSite> holders) {
			this(kind, capacity, busyRatio, holders, true);
		}

	}

	/** Doors advice can size. */
	enum Sizing {

		/** A pool of connections, permits or threads. */
		POOL,

		/** A lock or monitor: one holder at a time. */
		HELD;

		static @Nullable Sizing of(String kind) {
			return switch (kind) {
				case "connection-pool", "semaphore", "executor" -> POOL;
				case "lock", "read-write-lock", "monitor" -> HELD;
				default -> null;
			};
		}

	}

	/** What was measured since the last reset, all doors together. */
	private static final class Window {

		private final double elapsed;

		/**
		 * The endpoints as read once, so that every door's advice reads the same figures.
		 */
		private final List<Booked> endpoints = new ArrayList<>();

		private final long requests;

		private final @Nullable Double busyCores;

		private final @Nullable Double machineUse;

		private final int cores;

		Window(double elapsed, Iterable<RequestLedger.Endpoint> endpoints, @Nullable Double busyCores,
				@Nullable Double machineUse, int cores) {
			this.elapsed = elapsed;
			long requests = 0;
			for (RequestLedger.Endpoint endpoint : endpoints) {
				Booked booked = new Booked(endpoint.getKey(), endpoint.getRequests(), endpoint.getSeconds(),
						endpoint.getWaitedSeconds());
				this.endpoints.add(booked);
				requests += booked.requests();
			}
			this.requests = requests;
			this.busyCores = busyCores;
			this.machineUse = machineUse;
			this.cores = cores;
		}

		boolean tooLittle() {
			return this.elapsed < MIN_SECONDS || this.requests < MIN_REQUESTS;
		}

		String tooLittleSays() {
			return "Too little measured: " + this.requests + " requests in " + format(this.elapsed)
					+ " s since the last reset; advice needs " + MIN_REQUESTS + " requests and "
					+ Math.round(MIN_SECONDS) + " s.";
		}

		/** The share of the cores this process used. */
		double cpuUse() {
			return (this.busyCores != null) ? this.busyCores / this.cores : 0.0;
		}

		/** The share of the machine's cores in use, by any process. */
		double machineUse() {
			return (this.machineUse != null) ? Math.max(this.machineUse, cpuUse()) : cpuUse();
		}

		/** Whether the cores are busy, with this process's work or another's. */
		boolean cpuBusy() {
			return machineUse() >= CPU_BUSY;
		}

		String busyCoresSays() {
			return percent(machineUse()) + " of the time (this process: "
					+ ((this.busyCores != null) ? format(this.busyCores) : "?") + " of " + this.cores + ")";
		}

		/**
		 * Whether more connections, permits or threads for these requests would only move
		 * their wait to the CPU: this process keeps the cores busy, or they are busy and
		 * these requests already wait for one a tenth of their time.
		 */
		boolean cpuBound(Waits waits) {
			return cpuUse() >= CPU_BUSY || (cpuBusy() && cpuShare(waits) >= CPU_WAITED);
		}

		/**
		 * The share of the time of the requests waiting at a door spent waiting for a
		 * core.
		 */
		private double cpuShare(Waits waits) {
			return share(waits, RequestLedger.CPU);
		}

		/**
		 * The share of the time of the requests waiting at a door spent at {@code part}.
		 */
		double share(Waits waits, String part) {
			double seconds = 0;
			double waited = 0;
			for (Booked endpoint : this.endpoints) {
				if (waits.endpoints().containsKey(endpoint.key())) {
					seconds += endpoint.seconds();
					waited += endpoint.waited().getOrDefault(part, 0.0);
				}
			}
			return (seconds > 0) ? waited / seconds : 0.0;
		}

		/** Whether other processes take a fifth of the cores or more. */
		boolean shared() {
			return machineUse() - cpuUse() >= 0.2;
		}

		/**
		 * The door among {@code doors} where the requests that wait here wait most, if at
		 * least as long as here and that door is told to change (grow, hold shorter, or
		 * saturated); else {@code null}.
		 */
		@Nullable String waitedMostBeyond(Waits waits, Map<String, Advice> doors) {
			String most = null;
			double mostShare = waits.share();
			for (Map.Entry<String, Advice> other : doors.entrySet()) {
				double share = share(waits, other.getKey());
				if (ACTIONABLE.contains(other.getValue().verdict()) && share >= mostShare) {
					most = other.getKey();
					mostShare = share;
				}
			}
			return most;
		}

		/** The requests' waits at a door, by endpoint. */
		Waits at(String door) {
			Waits waits = new Waits();
			for (Booked endpoint : this.endpoints) {
				Double waited = endpoint.waited().get(door);
				if (waited != null && waited > 0) {
					waits.add(endpoint.key(), endpoint.requests(), endpoint.seconds(), waited);
				}
			}
			return waits;
		}

		Advice cpu() {
			Waits waits = at(RequestLedger.CPU);
			Advice.Builder advice = new Advice.Builder(RequestLedger.CPU).waits(waits, this.elapsed)
				.cores(this.cores, this.busyCores);
			if (tooLittle()) {
				return advice.verdict("too-little-measured", tooLittleSays());
			}
			if (this.busyCores == null) {
				return advice.verdict("no-capacity",
						"This JVM does not say its CPU time: Knocker cannot size the CPU.");
			}
			String busy = "The cores are busy " + busyCoresSays() + " and requests wait " + percent(waits.share())
					+ " of their time for one";
			if (!cpuBusy() && waits.share() < LOW) {
				return advice.verdict("not-the-bottleneck", busy + ": not where they wait.");
			}
			if (shared()) {
				return advice.verdict("shared-cores", busy + ": other work on the machine takes "
						+ percent(machineUse() - cpuUse()) + " of the cores. Run it beside less, or on more cores.");
			}
			if (!cpuBusy()) {
				// Not the load the cores carry on average: bursts, or what Knocker cannot
				// see (a container's CPU quota, its neighbours on the host).
				return advice.verdict("wait-unexplained", busy + ", more than cores this busy make them wait: the"
						+ " wait comes in bursts, or from a CPU quota or other work Knocker cannot see. More cores at"
						+ " this load are not what it can size.");
			}
			// Busy near all the time, the cores show a lower bound of the work's need.
			double load = Math.min(this.busyCores, 0.99 * this.cores);
			advice.utilisation(load / this.cores);
			List<Advice.Prediction> predictions = new ArrayList<>();
			Integer advised = null;
			for (int size = this.cores + 1; size <= this.cores + MAX_GROWTH; size++) {
				double share = waits.shareIf(Queueing.meanWait(size, load) / Queueing.meanWait(this.cores, load));
				boolean enough = share < LOW && load / size <= CPU_BUSY;
				if (size == this.cores + 1 || size == 2 * this.cores || enough) {
					predictions.add(new Advice.Prediction(RequestLedger.CPU, size, 1.0, share));
				}
				if (enough) {
					advised = size;
					break;
				}
			}
			advice.predictions(predictions).advised(advised);
			return advice.verdict("grow",
					busy + ". The work needs " + format(this.busyCores) + " cores"
							+ ((cpuUse() >= SATURATED) ? " at least (they never rested)" : "")
							+ ((advised != null) ? "; with " + advised + " the wait would be about "
									+ percent(predictions.get(predictions.size() - 1).share()) : "")
							+ ".");
		}

	}

	/** One endpoint's requests since the last reset: their count, time and waits. */
	private record Booked(String key, long requests, double seconds, Map<String, Double> waited) {
	}

	/** The requests' waits at one door, by endpoint. */
	static final class Waits {

		private final Map<String, Part> endpoints = new LinkedHashMap<>();

		private long requests;

		private double seconds;

		private double waited;

		private @Nullable String worst;

		private double worstShare;

		void add(String key, long requests, double seconds, double waited) {
			Part part = Part.of(waited, seconds);
			this.endpoints.put(key, part);
			this.requests += requests;
			this.seconds += seconds;
			this.waited += waited;
			if (this.worst == null || part.share() > this.worstShare) {
				this.worst = key;
				this.worstShare = part.share();
			}
		}

		Map<String, Part> endpoints() {
			return this.endpoints;
		}

		long requests() {
			return this.requests;
		}

		/** The share of these requests' time spent waiting here. */
		double share() {
			return (this.seconds > 0) ? Math.min(1.0, this.waited / this.seconds) : 0.0;
		}

		/**
		 * The share if each wait here were {@code ratio} times as long: the rest of the
		 * requests' time as it is.
		 */
		double shareIf(double ratio) {
			double waited = this.waited * ratio;
			double seconds = this.seconds - this.waited + waited;
			return (seconds > 0) ? Math.min(1.0, waited / seconds) : 0.0;
		}

		@Nullable String worst() {
			return this.worst;
		}

		double worstShare() {
			return this.worstShare;
		}

	}

}
