package io.knocker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's booking on a clock the test moves: what a window samples, what a knock
 * contends, when a knock is busy, and that a retired start writes nothing.
 */
class LedgerTests {

	private static final long MS = 1_000_000;

	private long now = 1_000 * MS;

	private final Ledger ledger = new Ledger(() -> this.now);

	private final long generation = this.ledger.generation();

	@Test
	void knocksThatGetStraightThroughContendNothingAndTheWindowSamplesItsLength() {
		this.ledger.beginWindow(this.generation);
		this.now += MS;
		this.ledger.knocked(this.generation, true, false);
		this.now += MS;
		this.ledger.knocked(this.generation, true, false);
		this.now += 8 * MS;
		this.ledger.endWindow(this.generation, false);
		this.now += 100 * MS;
		assertThat(this.ledger.snapshot()).isEqualTo(new KnockSnapshot(2, 0, 0, 10 * MS, 0, 0, 0));
		assertThat(this.ledger.lastWindowContention()).isZero();
	}

	@Test
	void aKnockThatWaitsContendsItsWaitAndIsBusyPastTheThreshold() {
		this.ledger.beginWindow(this.generation);
		this.now += MS;
		this.ledger.waitingSince(this.generation, this.now, MS / 2);
		this.now += 3 * MS;
		this.ledger.knocked(this.generation, false, false);
		this.now += 6 * MS;
		this.ledger.endWindow(this.generation, false);
		assertThat(this.ledger.snapshot()).isEqualTo(new KnockSnapshot(1, 1, 3 * MS, 10 * MS, 0, 0, 0));
		assertThat(this.ledger.lastWindowContention()).isEqualTo(0.3);
	}

	@Test
	void aWaitWithinTheThresholdContendsButIsNotBusy() {
		this.ledger.beginWindow(this.generation);
		this.ledger.waitingSince(this.generation, this.now, 5 * MS);
		this.now += MS;
		this.ledger.knocked(this.generation, false, false);
		KnockSnapshot snapshot = this.ledger.snapshot();
		assertThat(snapshot.busyKnocks()).isZero();
		assertThat(snapshot.contendedNanos()).isEqualTo(MS);
	}

	@Test
	void aKnockStillWaitingCountsUntilReadAndKeepsSamplingUntilItGetsThrough() {
		this.ledger.beginWindow(this.generation);
		this.ledger.waitingSince(this.generation, this.now, 0);
		this.now += 10 * MS;
		this.ledger.endWindow(this.generation, false);
		this.now += 90 * MS;
		// Read while it waits: one busy knock, contended and sampled all along.
		assertThat(this.ledger.snapshot()).isEqualTo(new KnockSnapshot(1, 1, 100 * MS, 100 * MS, 0, 0, 0));
		this.ledger.knocked(this.generation, false, false);
		this.now += 50 * MS;
		// Through: sampling ended with it, as the window had.
		assertThat(this.ledger.snapshot()).isEqualTo(new KnockSnapshot(1, 1, 100 * MS, 100 * MS, 0, 0, 0));
	}

	@Test
	void aKnockBookedAfterwardsContendsFromTheStartItWasGiven() {
		this.ledger.beginWindow(this.generation);
		long started = this.now;
		this.now += 3 * MS;
		// As the JVM door books its lateness: once it is over.
		this.ledger.waitingSince(this.generation, started, MS);
		this.ledger.knocked(this.generation, false, false);
		KnockSnapshot snapshot = this.ledger.snapshot();
		assertThat(snapshot.knocks()).isEqualTo(1);
		assertThat(snapshot.busyKnocks()).isEqualTo(1);
		assertThat(snapshot.contendedNanos()).isEqualTo(3 * MS);
	}

	@Test
	void missedAndFailedKnocksAndTheJvmsPausesAreCounted() {
		this.ledger.beginWindow(this.generation);
		this.ledger.missed(this.generation);
		this.ledger.missed(this.generation);
		this.ledger.knocked(this.generation, true, true);
		this.now += 5 * MS;
		this.ledger.contended(this.generation, 2 * MS, 2 * MS, 1);
		assertThat(this.ledger.snapshot()).isEqualTo(new KnockSnapshot(3, 2, 2 * MS, 5 * MS, 1, 2 * MS, 1));
	}

	@Test
	void aRetiredStartWritesNothingMoreAndTheNextStartsFromWhereItLeftOff() {
		this.ledger.beginWindow(this.generation);
		this.ledger.waitingSince(this.generation, this.now, 0);
		this.now += 4 * MS;
		this.ledger.retire(this.generation);
		KnockSnapshot retired = this.ledger.snapshot();
		// What was in flight is booked at the retirement.
		assertThat(retired).isEqualTo(new KnockSnapshot(1, 1, 4 * MS, 4 * MS, 0, 0, 0));
		// A thread of the old start that comes back late changes nothing.
		this.now += 10 * MS;
		this.ledger.knocked(this.generation, false, false);
		this.ledger.missed(this.generation);
		this.ledger.contended(this.generation, MS, MS, 1);
		this.ledger.beginWindow(this.generation);
		assertThat(this.ledger.snapshot()).isEqualTo(retired);
		long next = this.ledger.generation();
		assertThat(next).isNotEqualTo(this.generation);
		this.ledger.beginWindow(next);
		this.now += 2 * MS;
		this.ledger.knocked(next, true, false);
		assertThat(this.ledger.snapshot()).isEqualTo(new KnockSnapshot(2, 1, 4 * MS, 6 * MS, 0, 0, 0));
	}

}
