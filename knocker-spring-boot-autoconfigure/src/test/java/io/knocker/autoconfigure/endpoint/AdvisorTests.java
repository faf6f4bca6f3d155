package io.knocker.autoconfigure.endpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.knocker.HolderSite;
import io.knocker.KnockSettings;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.endpoint.Advisor.Reading;
import io.knocker.autoconfigure.requests.RequestLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The advice's verdicts and predictions from readings and bookings given, on a clock and
 * a CPU time of the test's own.
 */
class AdvisorTests {

	private static final long SECOND = 1_000_000_000L;

	private final RequestLedger ledger = new RequestLedger();

	private final AtomicLong clock = new AtomicLong(1_000 * SECOND);

	private final AtomicLong cpu = new AtomicLong(50 * SECOND);

	/** The machine's busy ticks; its ticks run at 100 a second per core. */
	private final AtomicLong machineBusy = new AtomicLong(1_000);

	private final AtomicLong machine = new AtomicLong(0);

	/** The cores /proc/stat lists: the host's, in a container. */
	private int machineCores = 2;

	private final Advisor advisor = new Advisor(
			new Knockers(List.of(),
					new KnockSettings("jvm", Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100),
							Duration.ofMillis(101), 2)),
			this.ledger, (name) -> "dataSource".equals(name) ? "spring.datasource.hikari.maximum-pool-size" : null,
			() -> new Advisor.Times(this.clock.get(), this.cpu.get(), this.machineBusy.get(),
					this.machineBusy.get() + this.machine.get(), this.machineCores),
			2);

	/** 200 requests of 100 ms to {@code uri}, each waiting as given (ns by part). */
	private void book(String uri, Map<String, Long> waited) {
		for (int i = 0; i < 200; i++) {
			this.ledger.book("GET", uri, 100_000_000L, waited);
		}
	}

	/** 200 requests of 100 ms, each waiting {@code waitedMs} at the door, over 20 s. */
	private void load(String door, long waitedMs, double busyCores) {
		book("/book", Map.of(door, waitedMs * 1_000_000L, "cpu", 1_000_000L));
		elapse(20, busyCores, busyCores);
	}

	/**
	 * {@code seconds} go by, the process using {@code busyCores}, the machine
	 * {@code machineCores}.
	 */
	private void elapse(int seconds, double busyCores, double machineCores) {
		this.clock.addAndGet(seconds * SECOND);
		this.cpu.addAndGet((long) (busyCores * seconds * SECOND));
		this.machineBusy.addAndGet((long) (machineCores * seconds * 100));
		this.machine.addAndGet((long) ((2 - machineCores) * seconds * 100));
	}

	@Test
	void aBusyPoolIsToldTheSizesThatBringItsWaitDownAndTheSettingToChange() {
		load("dataSource", 40, 0.4);
		Advice advice = this.advisor.advise(Map.of("dataSource", new Reading("connection-pool", 2, 0.8, null)))
			.get("dataSource");
		assertThat(advice.verdict()).isEqualTo("grow");
		assertThat(advice.capacity()).isEqualTo(2);
		assertThat(advice.waitedShare()).isCloseTo(0.4, within(1e-9));
		assertThat(advice.requestsPerSecond()).isCloseTo(10.0, within(1e-9));
		// P(wait) = 2 rho^2 / (1 + rho) = 0.8 at rho = 0.8633.
		assertThat(advice.utilisation()).isCloseTo(0.8633, within(0.0005));
		List<Advice.Prediction> predictions = advice.predictions();
		assertThat(predictions).extracting(Advice.Prediction::size).startsWith(3, 4);
		assertThat(predictions).allSatisfy((prediction) -> assertThat(prediction.door()).isEqualTo("dataSource"));
		// The wait at 3 by the model's ratio of waits, the rest of the request as it was.
		double load = 2 * 0.8633;
		double ratio = Queueing.meanWait(3, load) / Queueing.meanWait(2, load);
		assertThat(predictions.get(0).share()).isCloseTo(0.04 * ratio / (0.06 + 0.04 * ratio), within(0.002));
		assertThat(predictions.get(0).share()).isLessThan(0.4);
		for (int i = 1; i < predictions.size(); i++) {
			assertThat(predictions.get(i).share()).isLessThan(predictions.get(i - 1).share());
		}
		Advice.Prediction last = predictions.get(predictions.size() - 1);
		assertThat(last.share()).isLessThan(0.05);
		assertThat(advice.advised()).isEqualTo(last.size());
		assertThat(predictions.get(predictions.size() - 2).share()).isGreaterThanOrEqualTo(0.05);
		assertThat(advice.says()).contains("GET /book", "40 %",
				"spring.datasource.hikari.maximum-pool-size=" + last.size());
	}

	@Test
	void whenTheCoresAreBusyMoreConnectionsAreNotAdvisedAndTheCpuIsNamed() {
		load("dataSource", 40, 1.8);
		Map<String, Advice> advice = this.advisor
			.advise(Map.of("dataSource", new Reading("connection-pool", 2, 0.8, null)));
		Advice pool = advice.get("dataSource");
		assertThat(pool.verdict()).isEqualTo("cpu-bound");
		assertThat(pool.predictions()).isNull();
		assertThat(pool.advised()).isNull();
		assertThat(pool.says()).contains("CPU", "90 %");
		Advice cpu = advice.get("cpu");
		assertThat(cpu.verdict()).isEqualTo("grow");
		assertThat(cpu.busyCores()).isCloseTo(1.8, within(1e-9));
		assertThat(cpu.capacity()).isEqualTo(2);
		assertThat(cpu.advised()).isGreaterThan(2);
	}

	@Test
	void whenOtherWorkKeepsTheCoresBusyAndRequestsWaitForThemMoreConnectionsAreNotAdvisedEither() {
		book("/book", Map.of("dataSource", 40_000_000L, "cpu", 15_000_000L));
		book("/list", Map.of("dataSource", 40_000_000L));
		elapse(20, 0.4, 1.9);
		Map<String, Reading> pool = Map.of("dataSource", new Reading("connection-pool", 2, 0.8, null));
		Advice advice = this.advisor.advise(pool).get("dataSource");
		// A core waited for 7.5 % of the time of the requests at the pool: they sleep, a
		// larger pool cuts their wait.
		assertThat(advice.verdict()).isEqualTo("grow");
		book("/book", Map.of("dataSource", 40_000_000L, "cpu", 15_000_000L));
		// 10 %: more connections would queue them for the cores instead.
		advice = this.advisor.advise(pool).get("dataSource");
		assertThat(advice.verdict()).isEqualTo("cpu-bound");
		assertThat(advice.says()).contains("95 %", "this process: 0.4 of 2");
	}

	@Test
	void theServersWorkersAreSizedAfterAPoolTheSameRequestsWaitAt() {
		// 30 ms of 100 queued for a worker, then 40 ms for a connection: the workers
		// are held while their requests wait at the pool.
		book("/book", Map.of("http", 30_000_000L, "dataSource", 40_000_000L, "cpu", 1_000_000L));
		elapse(20, 0.4, 0.4);
		Map<String, Advice> advice = this.advisor.advise(Map.of("http", new Reading("executor", 4, 0.7, null),
				"dataSource", new Reading("connection-pool", 2, 0.8, null)));
		assertThat(advice.get("http").verdict()).isEqualTo("downstream-first");
		assertThat(advice.get("http").predictions()).isNull();
		assertThat(advice.get("http").says()).contains("wait 40 % at dataSource", "see dataSource's advice first");
		assertThat(advice.get("dataSource").verdict()).isEqualTo("grow");
		// Of two doors further on, the one they wait at longer.
		this.ledger.reset();
		this.advisor.reset();
		book("/book", Map.of("http", 20_000_000L, "orders-lock", 30_000_000L, "dataSource", 25_000_000L));
		elapse(20, 0.4, 0.4);
		assertThat(this.advisor
			.advise(Map.of("http", new Reading("executor", 4, 0.7, null), "dataSource",
					new Reading("connection-pool", 2, 0.8, null), "orders-lock", new Reading("lock", 1, 0.6, null)))
			.get("http")
			.says()).contains("see orders-lock's advice first");
		// A pool no look found taken (not the bottleneck), or one they wait at less than
		// for a worker, comes after.
		assertThat(this.advisor.advise(Map.of("http", new Reading("executor", 4, 0.7, null), "dataSource",
				new Reading("connection-pool", 2, 0.0, null)))
			.get("http")
			.verdict()).isEqualTo("grow");
		this.ledger.reset();
		this.advisor.reset();
		book("/book", Map.of("http", 30_000_000L, "dataSource", 4_000_000L, "cpu", 1_000_000L));
		elapse(20, 0.4, 0.4);
		assertThat(this.advisor.advise(Map.of("http", new Reading("executor", 4, 0.7, null), "dataSource",
				new Reading("connection-pool", 2, 0.8, null)))
			.get("http")
			.verdict()).isEqualTo("grow");
	}

	@Test
	void aDoorRequestsHardlyWaitAtIsNotTheBottleneck() {
		load("dataSource", 3, 0.4);
		Map<String, Advice> advice = this.advisor
			.advise(Map.of("dataSource", new Reading("connection-pool", 10, 0.2, null)));
		assertThat(advice.get("dataSource").verdict()).isEqualTo("not-the-bottleneck");
		assertThat(advice.get("dataSource").predictions()).isNull();
		// 1 ms of 100 for a core, cores 20 % busy.
		assertThat(advice.get("cpu").verdict()).isEqualTo("not-the-bottleneck");
	}

	@Test
	void tooLittleMeasuredIsSaidRatherThanGuessed() {
		this.ledger.book("GET", "/book", 100_000_000L, Map.of("dataSource", 90_000_000L));
		elapse(30, 0, 0);
		Advice few = this.advisor.advise(Map.of("dataSource", new Reading("connection-pool", 2, 0.9, null)))
			.get("dataSource");
		assertThat(few.verdict()).isEqualTo("too-little-measured");
		assertThat(few.says()).contains("1 requests", "50 requests");
		// Enough requests, but a reset 2 s ago.
		load("dataSource", 40, 0.4);
		this.advisor.reset();
		elapse(2, 0, 0);
		assertThat(this.advisor.advise(Map.of("dataSource", new Reading("connection-pool", 2, 0.9, null)))
			.get("dataSource")
			.verdict()).isEqualTo("too-little-measured");
	}

	@Test
	void aDoorTakenAtEveryLookIsSaturatedAndNotFitted() {
		load("dataSource", 80, 0.4);
		Advice advice = this.advisor.advise(Map.of("dataSource", new Reading("connection-pool", 2, 0.995, null)))
			.get("dataSource");
		assertThat(advice.verdict()).isEqualTo("saturated");
		assertThat(advice.predictions()).isNull();
		assertThat(advice.says()).contains("try 4");
	}

	@Test
	void aDoorNoLookFoundTakenOrThatFewRequestsWaitedAtIsNotFitted() {
		load("dataSource", 40, 0.4);
		// Full at no look: its size is not what requests wait for (no load to fit, no
		// NaN).
		Advice never = this.advisor.advise(Map.of("dataSource", new Reading("connection-pool", 2, 0.0, null)))
			.get("dataSource");
		assertThat(never.verdict()).isEqualTo("not-the-bottleneck");
		assertThat(never.says()).contains("no look found it full");
		assertThat(never.predictions()).isNull();
		// Ten requests waited at the lock, among 200 others.
		for (int i = 0; i < 10; i++) {
			this.ledger.book("GET", "/rare", 100_000_000L, Map.of("rare-lock", 50_000_000L));
		}
		assertThat(
				this.advisor.advise(Map.of("rare-lock", new Reading("lock", 1, 0.5, null))).get("rare-lock").verdict())
			.isEqualTo("too-little-measured");
	}

	@Test
	void aDoorWhoseWaitsAreNotBookedIsNotCalledFree() {
		load("http", 1, 0.4);
		Advice pool = this.advisor.advise(Map.of("tomcatJdbc", new Reading("connection-pool", 2, 0.98, null, false)))
			.get("tomcatJdbc");
		assertThat(pool.verdict()).isEqualTo("waits-unknown");
		assertThat(pool.says()).contains("98 %");
	}

	@Test
	void aPoolOfNoBoundIsNotSized() {
		load("jobs", 40, 0.4);
		Advice advice = this.advisor.advise(Map.of("jobs", new Reading("executor", Integer.MAX_VALUE, 0.5, null)))
			.get("jobs");
		assertThat(advice.verdict()).isEqualTo("no-capacity");
		assertThat(advice.capacity()).isNull();
	}

	@Test
	void withoutTheProcessCpuTimeTheCoresAreStillSaid() {
		Advisor blind = new Advisor(
				new Knockers(List.of(),
						new KnockSettings("jvm", Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100),
								Duration.ofMillis(101), 2)),
				this.ledger, (name) -> null, () -> new Advisor.Times(this.clock.get(), -1, this.machineBusy.get(),
						this.machineBusy.get() + this.machine.get(), 2),
				2);
		book("/book", Map.of("dataSource", 40_000_000L, "cpu", 15_000_000L));
		elapse(20, 0, 1.9);
		Map<String, Advice> advice = blind.advise(Map.of("dataSource", new Reading("connection-pool", 2, 0.8, null)));
		assertThat(advice.get("dataSource").verdict()).isEqualTo("cpu-bound");
		assertThat(advice.get("dataSource").says()).contains("this process: ? of 2");
		assertThat(advice.get("cpu").verdict()).isEqualTo("no-capacity");
	}

	@Test
	void aDoorThatCannotSayItsSizeIsNotSized() {
		load("jobs", 40, 0.4);
		Advice advice = this.advisor.advise(Map.of("jobs", new Reading("executor", 0, 0.8, null))).get("jobs");
		assertThat(advice.verdict()).isEqualTo("no-capacity");
		assertThat(advice.capacity()).isNull();
	}

	@Test
	void aLockIsToldWhatHalvingItsHoldWouldGiveAndWhereItIsHeld() {
		load("orders-lock", 40, 0.4);
		List<HolderSite> holders = List
			.of(new HolderSite(List.of("com.acme.Orders.place(Orders.java:42)"), 30, 0.75, List.of("exec-1")));
		Advice advice = this.advisor.advise(Map.of("orders-lock", new Reading("lock", 1, 0.5, holders)))
			.get("orders-lock");
		assertThat(advice.verdict()).isEqualTo("shorten-hold");
		assertThat(advice.holders()).isEqualTo(holders);
		// M/M/1 at rho 0.5: wait = rho / (1 - rho) S = S; halved: (0.25 / 0.75) S / 2 = S
		// / 6.
		Advice.Prediction halved = advice.predictions().get(0);
		assertThat(halved.size()).isOne();
		assertThat(halved.hold()).isEqualTo(0.5);
		assertThat(halved.share()).isCloseTo(0.04 / 6 / (0.06 + 0.04 / 6), within(1e-9));
		assertThat(advice.says()).contains("com.acme.Orders.place(Orders.java:42)");
	}

	@Test
	void requestsWaitingForCoresThisProcessDoesNotUseAreToldOtherWorkTakesThem() {
		// 30 ms of 100 waiting for a core, this process using 30 % of two cores.
		book("/work", Map.of("cpu", 30_000_000L));
		elapse(20, 0.6, 1.9);
		Advice cpu = this.advisor.advise(Map.of()).get("cpu");
		assertThat(cpu.verdict()).isEqualTo("shared-cores");
		assertThat(cpu.predictions()).isNull();
		assertThat(cpu.says()).contains("other work", "65 %", "95 %");
	}

	@Test
	void inAContainerTheHostsBusyCoresAreNotReadAsOtherWorkOnTheProcesss() {
		// The JVM sees the two cores of its quota; /proc/stat counts the host's eight,
		// busy or not with other containers' work: no measure of the cores it may use.
		this.machineCores = 8;
		this.advisor.reset();
		book("/work", Map.of("cpu", 30_000_000L));
		elapse(20, 0.6, 1.9);
		Advice cpu = this.advisor.advise(Map.of()).get("cpu");
		// Cores this process keeps 30 % busy do not make it wait 30 % for one: no size.
		assertThat(cpu.verdict()).isEqualTo("wait-unexplained");
		assertThat(cpu.predictions()).isNull();
		assertThat(cpu.says()).contains("30 % of the time (this process: 0.6 of 2)", "CPU quota");
	}

	@Test
	void theMachinesTicksAndCoresAreReadFromProcStat(@TempDir Path dir) throws Exception {
		Path stat = dir.resolve("stat");
		Files.writeString(stat, "cpu  100 5 50 800 20 3 2 10 0 0\ncpu0 50 2 25 400 10 1 1 5 0 0\n"
				+ "cpu1 50 3 25 400 10 2 1 5 0 0\nintr 12345 0 0\nctxt 999\n");
		// Busy: all but idle (800) and iowait (20), of the first eight fields.
		assertThat(Advisor.Times.machine(stat)).containsExactly(170, 990, 2);
		assertThat(Advisor.Times.machine(dir.resolve("none"))).containsExactly(-1, -1, -1);
	}

	@Test
	void theAdviceOnTheCpuSizesTheCoresFromTheRequestsWaitForOne() {
		// 30 ms of 100 waiting for a core, cores 95 % busy.
		book("/work", Map.of("cpu", 30_000_000L));
		elapse(20, 1.9, 1.9);
		Advice cpu = this.advisor.advise(Map.of()).get("cpu");
		assertThat(cpu.verdict()).isEqualTo("grow");
		assertThat(cpu.waitedShare()).isCloseTo(0.3, within(1e-9));
		// A third core: 1.9 cores of work at 63 %, the wait under 5 %.
		assertThat(cpu.predictions()).extracting(Advice.Prediction::size).containsExactly(3);
		assertThat(cpu.predictions().get(0).share()).isLessThan(0.05);
		assertThat(cpu.advised()).isEqualTo(3);
		assertThat(cpu.says()).contains("1.9", "30 %");
	}

}
