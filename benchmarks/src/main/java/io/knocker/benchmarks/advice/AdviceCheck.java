package io.knocker.benchmarks.advice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 40's check of the advice: for each case (a door at a load), starts
 * {@link CapacityApp} at the door's size, warms it up under an open-loop Poisson load,
 * resets Knocker and the application's own timings, drives the load, reads the advice and
 * the truth; then restarts it at the advised size and at one more than the size, under
 * the same load (same rate, same seed), and compares the wait the advice predicted for
 * that size with the one Knocker measured and the one the requests timed themselves.
 * Prints Markdown tables; each run's readings and log go to a directory named after the
 * time it began under {@code --out}.
 * <p>
 * Run (the class path as {@code advice-check.sh} builds it):
 * {@code java -cp <classpath> io.knocker.benchmarks.advice.AdviceCheck [pool:65 work:140 ...]
 * [--warmup=10] [--measure=30] [--hold-mean=20] [--seed=40] [--out=benchmarks/target/advice-check]
 * [--quiet=0.4] [--quiet-wait=300]}: before each run, it waits (at most
 * {@code quiet-wait} seconds) until the machine's CPU pressure over ten seconds is under
 * {@code quiet}. Without cases: the pool and the semaphore of 2 at 65 and 85 requests a
 * second, four workers at 140 and 180, all holding 20 ms on average. A case with a size
 * ({@code pool:65:3}) is one run at that size, no advice followed.
 */
public final class AdviceCheck {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * A run disturbed (the sender fell behind, requests failed) is run again, at most
	 * this often.
	 */
	private static final int ATTEMPTS = 4;

	/**
	 * Issue 40's target: the prediction within this (absolute) of the share on the rerun.
	 */
	private static final double TARGET = 0.10;

	private static final List<String> DEFAULT_CASES = List.of("pool:65", "pool:85", "permit:65", "permit:85",
			"work:140", "work:180");

	private final Duration warmup;

	private final Duration measure;

	private final Duration holdMean;

	private final long seed;

	private final Path out;

	private final double quiet;

	private final Duration quietWait;

	private int runs;

	private AdviceCheck(Map<String, String> options) {
		this.warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
		this.measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure", "30")));
		this.holdMean = Duration.ofMillis(Long.parseLong(options.getOrDefault("hold-mean", "20")));
		this.seed = Long.parseLong(options.getOrDefault("seed", "40"));
		this.out = Path.of(options.getOrDefault("out", "benchmarks/target/advice-check"))
			.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
		this.quiet = Double.parseDouble(options.getOrDefault("quiet", "0.4"));
		this.quietWait = Duration.ofSeconds(Long.parseLong(options.getOrDefault("quiet-wait", "300")));
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		List<String> cases = new ArrayList<>();
		for (String arg : args) {
			if (arg.startsWith("--")) {
				String[] option = arg.substring(2).split("=", 2);
				options.put(option[0], (option.length > 1) ? option[1] : "true");
			}
			else {
				cases.add(arg);
			}
		}
		AdviceCheck check = new AdviceCheck(options);
		Files.createDirectories(check.out);
		List<Checked> checked = new ArrayList<>();
		long start = System.nanoTime();
		List<String> failed = new ArrayList<>();
		for (String spec : cases.isEmpty() ? DEFAULT_CASES : cases) {
			String[] parts = spec.split(":");
			try {
				Door door = Door.named(parts[0]);
				double rate = Double.parseDouble(parts[1]);
				checked.add((parts.length > 2) ? check.probe(door, rate, Integer.parseInt(parts[2]))
						: check.check(door, rate));
			}
			catch (IOException ex) {
				log("%s: given up (%s)", spec, ex.getMessage());
				failed.add(spec);
			}
		}
		log("all done in %.1f min", (System.nanoTime() - start) / 60e9);
		check.print(checked);
		if (!failed.isEmpty()) {
			System.out.println("Given up (see the log): " + String.join(", ", failed));
		}
	}

	private Checked check(Door door, double rate) throws IOException, InterruptedException {
		Run first = run(door, rate, door.size);
		JsonNode advice = first.contention.path("advice").path(door.name);
		Set<Integer> sizes = new LinkedHashSet<>();
		if (advice.path("advised").isNumber()) {
			sizes.add(advice.path("advised").asInt());
		}
		sizes.add(door.size + 1);
		if (advice.isMissingNode()) {
			// No advice to follow (the endpoint has none yet): two sizes up instead.
			sizes.add(door.size + 2);
		}
		List<Run> reruns = new ArrayList<>();
		for (int size : sizes) {
			reruns.add(run(door, rate, size));
		}
		return new Checked(first, advice, reruns);
	}

	/** One run at a size of its own, no advice followed: {@code pool:65:3}. */
	private Checked probe(Door door, double rate, int size) throws IOException, InterruptedException {
		Run run = run(door, rate, size);
		return new Checked(run, run.contention.path("advice").path(door.name), List.of());
	}

	private Run run(Door door, double rate, int size) throws IOException, InterruptedException {
		for (int attempt = 1;; attempt++) {
			String disturbed;
			try {
				Run run = attempt(door, rate, size, attempt);
				disturbed = run.disturbed();
				if (disturbed == null || attempt == ATTEMPTS) {
					return run;
				}
			}
			catch (IOException ex) {
				if (attempt == ATTEMPTS) {
					throw ex;
				}
				disturbed = ex.getMessage();
			}
			log("%s-%.0f-%d: disturbed (%s), running it again", door.path.substring(1), rate, size, disturbed);
		}
	}

	private Run attempt(Door door, double rate, int size, int attempt) throws IOException, InterruptedException {
		String name = String.format(Locale.ROOT, "%02d-%s-%.0f-%d-%d", ++this.runs, door.path.substring(1), rate, size,
				attempt);
		awaitQuiet(name);
		log("%s: starting", name);
		List<String> properties = new ArrayList<>(door.properties(size));
		properties.add("--" + CapacityApp.HOLD_MEAN + "=" + this.holdMean.toMillis() + "ms");
		try (AppProcess app = AppProcess.start(properties, this.out.resolve(name + ".log"))) {
			OpenLoopLoad load = new OpenLoopLoad(app.uri(door.path), rate, this.holdMean, this.seed);
			load.start();
			Thread.sleep(this.warmup.toMillis());
			// The truth first: its reset is then no request in Knocker's window.
			app.post("/truth", "");
			app.post("/actuator/contention", "{\"action\":\"reset\"}");
			load.mark();
			long stalled = CpuPressure.totalMicros();
			long started = System.nanoTime();
			Thread.sleep(this.measure.toMillis());
			double pressure = (stalled >= 0)
					? (CpuPressure.totalMicros() - stalled) * 1e3 / (System.nanoTime() - started) : Double.NaN;
			JsonNode contention = app.get("/actuator/contention");
			JsonNode truth = app.get("/truth");
			double loadAverage = loadAverage();
			OpenLoopLoad.Tally tally = load.stop(Duration.ofSeconds(30));
			Run run = new Run(door, rate, size, contention, truth.path(door.path), tally, attempt, loadAverage,
					pressure);
			ObjectNode saved = json.createObjectNode();
			saved.set("contention", contention);
			saved.set("truth", truth);
			saved.put("clientRate", tally.rate());
			saved.put("clientLatencyMillis", tally.meanLatencyMillis());
			saved.put("clientServerMillis", tally.meanServerMillis());
			saved.put("clientBeforeMillis", tally.meanBeforeMillis());
			saved.put("senderLateMillis", tally.meanLateMillis());
			saved.put("loadAverage", loadAverage);
			saved.put("cpuPressure", pressure);
			Files.writeString(this.out.resolve(name + ".json"),
					json.writerWithDefaultPrettyPrinter().writeValueAsString(saved));
			log("%s: %d requests at %.1f/s, rho %.2f, share Knocker %.3f, truth %.3f", name, tally.sent.sum(),
					tally.rate(), run.utilisation(), run.knockerShare(), run.truthShare());
			return run;
		}
	}

	private void print(List<Checked> checked) {
		System.out.printf(Locale.ROOT, "%s, %s %s, %d cores; warm-up %d s, measured %d s, mean hold %d ms, seed %d%n%n",
				LocalDate.now(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), this.warmup.toSeconds(), this.measure.toSeconds(),
				this.holdMean.toMillis(), this.seed);
		if (checked.stream().anyMatch((check) -> !check.reruns.isEmpty())) {
			printChecks(checked);
		}
		printAdvice(checked);
		printRuns(checked);
	}

	private void printChecks(List<Checked> checked) {
		System.out.println("| door | load (/s) | size | first run: Knocker / truth | verdict | advised | rerun size "
				+ "| predicted | Knocker on rerun | truth on rerun | predicted − Knocker | predicted − truth | M/M/c |");
		System.out.println("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
		int advised = 0;
		int metKnocker = 0;
		int metTruth = 0;
		for (Checked check : checked) {
			Run first = check.first;
			for (int i = 0; i < check.reruns.size(); i++) {
				Run rerun = check.reruns.get(i);
				double predicted = check.predicted(rerun.size);
				String firstColumns = (i == 0) ? String.format(Locale.ROOT, "%s | %.0f | %d | %s / %s | %s | %s",
						first.door.name, first.rate, first.size, f(first.knockerShare()), f(first.truthShare()),
						text(check.advice.path("verdict")), text(check.advice.path("advised"))) : " | | | | | ";
				System.out.printf(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", firstColumns, rerun.size,
						f(predicted), f(rerun.knockerShare()), f(rerun.truthShare()),
						f(predicted - rerun.knockerShare()), f(predicted - rerun.truthShare()),
						f(first.erlang(rerun.size)));
				if (check.advice.path("advised").asInt(-1) == rerun.size) {
					advised++;
					metKnocker += (Math.abs(predicted - rerun.knockerShare()) <= TARGET) ? 1 : 0;
					metTruth += (Math.abs(predicted - rerun.truthShare()) <= TARGET) ? 1 : 0;
				}
			}
		}
		System.out.printf(Locale.ROOT,
				"%nAt the advised size, the prediction within %.2f of the share measured on the rerun: "
						+ "%d of %d cases against Knocker's, %d of %d against the truth.%n%n",
				TARGET, metKnocker, advised, metTruth, advised);
	}

	private void printAdvice(List<Checked> checked) {
		System.out.println("| door | load (/s) | capacity | requestsPerSecond | sent (/s) | utilisation | ρ = λS/c "
				+ "| busyRatio | waitedShare | predictions (size: share) | says |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
		for (Checked check : checked) {
			Run first = check.first;
			List<String> predictions = new ArrayList<>();
			for (JsonNode prediction : check.advice.path("predictions")) {
				predictions.add(prediction.path("size").asInt() + ": " + f(number(prediction.path("share"))));
			}
			System.out.printf(Locale.ROOT, "| %s | %.0f | %s | %s | %.1f | %s | %.2f | %s | %s | %s | %s |%n",
					first.door.name, first.rate, text(check.advice.path("capacity")),
					f(number(check.advice.path("requestsPerSecond")), 1), first.tally.rate(),
					f(number(check.advice.path("utilisation")), 2), first.utilisation(),
					f(number(check.advice.path("busyRatio")), 2), f(number(check.advice.path("waitedShare"))),
					String.join(", ", predictions), text(check.advice.path("says")).replace("|", "\\|"));
		}
		System.out.println();
	}

	private void printRuns(List<Checked> checked) {
		System.out.println("| door | load (/s) | size | requests | sent (/s) | ρ | latency (ms) | before worker (ms) "
				+ "| worker (ms) | Knocker share | truth | client's | sender late (ms) | failed | attempt | load average "
				+ "| CPU pressure |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (Checked check : checked) {
			List<Run> runs = new ArrayList<>();
			runs.add(check.first);
			runs.addAll(check.reruns);
			for (Run run : runs) {
				OpenLoopLoad.Tally tally = run.tally;
				System.out.printf(Locale.ROOT,
						"| %s | %.0f | %d | %d | %.1f | %.2f | %.1f | %.1f | %.1f | %s | %s | %s | %.2f | %d | %d | %s | %s |%n",
						run.door.name, run.rate, run.size, tally.sent.sum(), tally.rate(), run.utilisation(),
						tally.meanLatencyMillis(), tally.meanBeforeMillis(), tally.meanServerMillis(),
						f(run.knockerShare()), f(run.truthShare()),
						f((run.door == Door.WORK) ? tally.outsideShare() : tally.waitShare()), tally.meanLateMillis(),
						tally.failed.sum() + tally.unfinished, run.attempt, f(run.loadAverage, 1), f(run.pressure, 2));
			}
		}
	}

	/**
	 * Wait until the machine's CPU pressure over the last ten seconds is under the bound.
	 */
	private void awaitQuiet(String name) throws InterruptedException {
		long deadline = System.nanoTime() + this.quietWait.toNanos();
		boolean said = false;
		while (CpuPressure.recent() > this.quiet) {
			if (System.nanoTime() > deadline) {
				log("%s: CPU pressure still %.2f after %d s, starting anyway", name, CpuPressure.recent(),
						this.quietWait.toSeconds());
				return;
			}
			if (!said) {
				log("%s: CPU pressure %.2f, waiting for under %.2f", name, CpuPressure.recent(), this.quiet);
				said = true;
			}
			Thread.sleep(1000);
		}
	}

	private static double loadAverage() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}

	private static String f(double value) {
		return f(value, 3);
	}

	private static String f(double value, int decimals) {
		return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "—";
	}

	private static double number(JsonNode node) {
		return node.isNumber() ? node.asDouble() : Double.NaN;
	}

	private static String text(JsonNode node) {
		return (node.isMissingNode() || node.isNull()) ? "—" : node.asString();
	}

	private static void log(String format, Object... args) {
		System.err.printf(Locale.ROOT, "[advice-check] " + format + "%n", args);
	}

	/** A door of {@link CapacityApp}: its endpoint, its name in Knocker, its size. */
	enum Door {

		/** HikariCP's pool, two connections. */
		POOL("dataSource", "/pool", 2),

		/** A semaphore of two permits. */
		PERMIT("permits", "/permit", 2),

		/** The server's workers, four. */
		WORK("http", "/work", 4);

		final String name;

		final String path;

		final int size;

		Door(String name, String path, int size) {
			this.name = name;
			this.path = path;
			this.size = size;
		}

		static Door named(String name) {
			return Door.valueOf(name.toUpperCase(Locale.ROOT));
		}

		List<String> properties(int size) {
			return switch (this) {
				case POOL -> List.of("--spring.datasource.hikari.maximum-pool-size=" + size,
						"--spring.datasource.hikari.minimum-idle=" + size);
				case PERMIT -> List.of("--" + CapacityApp.PERMITS + "=" + size);
				case WORK ->
					List.of("--server.tomcat.threads.max=" + size, "--server.tomcat.threads.min-spare=" + size);
			};
		}

	}

	/** One run: the door at a size under a load, and what was read at its end. */
	private record Run(Door door, double rate, int size, JsonNode contention, JsonNode truth, OpenLoopLoad.Tally tally,
			int attempt, double loadAverage, double pressure) {

		/**
		 * @return why the run cannot stand for the load asked, or {@code null}
		 */
		String disturbed() {
			long failed = this.tally.failed.sum() + this.tally.unfinished;
			if (failed > 0) {
				return failed + " requests failed or never finished";
			}
			if (this.tally.meanLateMillis() > 1.0) {
				return String.format(Locale.ROOT, "the sender was %.1f ms late on average",
						this.tally.meanLateMillis());
			}
			return null;
		}

		/**
		 * @return the share of the endpoint's time waiting at the door, as Knocker read
		 * it
		 */
		double knockerShare() {
			return number(this.contention.path("requests")
				.path("GET " + this.door.path)
				.path("waited")
				.path(this.door.name)
				.path("share"));
		}

		/**
		 * @return the share the requests timed themselves: their wait over their time on
		 * the worker; for the workers, the time from the client's send until the worker
		 * began, over that and the time on the worker
		 */
		double truthShare() {
			return (this.door == Door.WORK) ? this.tally.beforeShare() : number(this.truth.path("share"));
		}

		/**
		 * @return the door's mean service time in seconds: the hold, or the time on a
		 * worker
		 */
		double service() {
			double count = this.truth.path("count").asDouble();
			return this.truth.path((this.door == Door.WORK) ? "seconds" : "heldSeconds").asDouble() / count;
		}

		/**
		 * @return a request's mean time outside the door's queue, in seconds
		 */
		double rest() {
			double count = this.truth.path("count").asDouble();
			return (this.truth.path("seconds").asDouble() - this.truth.path("waitedSeconds").asDouble()) / count;
		}

		/**
		 * @return the door's true utilisation, the rate sent times the service over the
		 * size
		 */
		double utilisation() {
			return this.tally.rate() * service() / this.size;
		}

		/**
		 * @return the M/M/c share at another size from this run's true rate and service
		 */
		double erlang(int servers) {
			return ErlangC.share(servers, this.tally.rate(), service(), rest());
		}

	}

	/** A case checked: the first run, its advice for the door, the reruns. */
	private record Checked(Run first, JsonNode advice, List<Run> reruns) {

		double predicted(int size) {
			for (JsonNode prediction : this.advice.path("predictions")) {
				if (prediction.path("size").asInt() == size) {
					return number(prediction.path("share"));
				}
			}
			return Double.NaN;
		}

	}

}
