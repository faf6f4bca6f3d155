package io.knocker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A method's figures over its calls, on a ledger whose clock the test moves: weighted by
 * each call's sampled time, and for the JVM door without the sleeps' lumps.
 */
class MeasuredCallTotalsTests {

	private static final long MS = 1_000_000;

	private long now = 1_000 * MS;

	private final Ledger ledger = new Ledger(() -> this.now);

	private final long generation = this.ledger.generation();

	private final OpenCalls calls = new OpenCalls(new Door("test") {
		@Override
		protected void knock(Knock knock) {
			knock.gotThrough(true);
		}
	});

	@Test
	void aShortContendedCallWeighsAsLittleAsItsTime() {
		MeasuredCallTotals totals = new MeasuredCallTotals();
		this.ledger.beginWindow(this.generation);
		// A 100 ms call that sees only knocks that get straight through.
		MeasuredCall longCall = open();
		for (int i = 0; i < 100; i++) {
			this.now += MS;
			this.ledger.knocked(this.generation, true, false);
		}
		longCall.close();
		// A 1 ms call whose one knock waits all of it.
		MeasuredCall shortCall = open();
		this.ledger.waitingSince(this.generation, this.now, 0);
		this.now += MS;
		this.ledger.knocked(this.generation, false, false);
		shortCall.close();
		assertThat(totals.add(longCall)).isTrue();
		assertThat(totals.add(shortCall)).isTrue();
		assertThat(shortCall.contention()).isEqualTo(1.0);
		// 1 ms contended in 101 ms: a mean of the two calls' ratios would read 0.5.
		assertThat(totals.contention()).isCloseTo(1.0 / 101, within(1e-9));
		assertThat(totals.sampledCalls()).isEqualTo(2);
	}

	@Test
	void aCallOnTheJvmDoorGetsNoneOfTheSleepBookedAsTheWindowBegins() {
		MeasuredCallTotals totals = new MeasuredCallTotals();
		this.ledger.beginWindow(this.generation);
		this.now += 10 * MS;
		// The JVM door samples its sleeps too.
		this.ledger.endWindow(this.generation, true);
		this.now += 90 * MS;
		// Opened late in the sleep, across the next window's start.
		MeasuredCall call = new MeasuredCall(this.ledger, true, this.calls.open(Thread.currentThread()));
		this.now += 10 * MS;
		// The sleep's pause, 50 ms, booked as the window begins.
		this.ledger.contended(this.generation, 50 * MS, 50 * MS, 1);
		this.ledger.beginWindow(this.generation);
		this.now += 2 * MS;
		this.ledger.waitingSince(this.generation, this.now - MS / 2, 0);
		this.ledger.knocked(this.generation, false, false);
		this.now += 2 * MS;
		call.close();
		// The door's own figures have the whole sleep and its pause.
		assertThat(this.ledger.snapshot().contendedNanos()).isEqualTo(50 * MS + MS / 2);
		// The call has the window's 4 ms and its knock's 0.5 ms, not 50 ms over 14.
		assertThat(call.contention()).isCloseTo(0.125, within(1e-9));
		assertThat(call.waited()).hasValue(0.125);
		totals.add(call);
		assertThat(totals.contention()).isCloseTo(0.125, within(1e-9));
		assertThat(totals.waited()).hasValue(0.125);
	}

	private MeasuredCall open() {
		return new MeasuredCall(this.ledger, false, this.calls.open(Thread.currentThread()));
	}

}
