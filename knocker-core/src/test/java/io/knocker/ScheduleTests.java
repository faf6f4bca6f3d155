package io.knocker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * gilknocker's cycle on a clock the test moves: Poisson knocks a polling interval apart
 * on average within each sampling window, then the sleep; with no sleep, window after
 * window.
 */
class ScheduleTests {

	private static final long MS = 1_000_000;

	@Test
	void windowsOfPoissonKnocksAlternateWithSleeps() {
		Cycle cycle = run(Duration.ofMillis(100), 10_000 * MS);
		System.out.printf("cycles: %d knocks, %d sleeps in 10 s%n", cycle.knocks, cycle.sleeps);
		// 10 s of 110 ms cycles: about 91 windows, each about ten knocks. Poisson: about
		// 910 knocks give or take 30; the band is five of those either way.
		assertThat(cycle.sleeps).isBetween(88, 92);
		assertThat(cycle.knocks).isBetween(760, 1_060);
		// Every knock falls inside a window, none in a sleep.
		assertThat(cycle.knocksInSleeps).isZero();
	}

	@Test
	void withoutASleepWindowsFollowEachOther() {
		Cycle cycle = run(Duration.ZERO, 1_000 * MS);
		System.out.printf("no sleep: %d knocks in 1 s%n", cycle.knocks);
		assertThat(cycle.sleeps).isZero();
		// A knock a millisecond on average for a second: 1,000 give or take 32 (1,110
		// seen once); the band is five of those either way.
		assertThat(cycle.knocks).isBetween(840, 1_160);
	}

	/** Drives a schedule of one member from t = 0 to {@code untilNanos}. */
	private static Cycle run(Duration sleeping, long untilNanos) {
		Cycle cycle = new Cycle();
		KnockSettings settings = new KnockSettings("cycle", Duration.ofMillis(1), Duration.ofMillis(10), sleeping,
				Duration.ofMillis(111), 0);
		Schedule schedule = new Schedule(settings);
		schedule.add(new Knocking(settings, cycle, new Ledger(), new OpenCalls(cycle), null, new Knocking.Failures()));
		long now = 0;
		while (now < untilNanos) {
			long next = schedule.advance(now);
			if (next - now >= 100 * MS) {
				cycle.sleeps++;
				cycle.sleepsUntil.add(next);
			}
			now = Math.max(next, now + 1);
		}
		return cycle;
	}

	/** A door that gets straight through and counts its knocks. */
	private static final class Cycle extends Door {

		int knocks;

		int sleeps;

		int knocksInSleeps;

		final List<Long> sleepsUntil = new ArrayList<>();

		Cycle() {
			super("cycle");
		}

		@Override
		protected void knock(Knock knock) {
			this.knocks++;
			if (!this.sleepsUntil.isEmpty() && knock.dueNanos() < this.sleepsUntil.get(this.sleepsUntil.size() - 1)
					&& knock.dueNanos() > this.sleepsUntil.get(this.sleepsUntil.size() - 1) - 100 * MS) {
				this.knocksInSleeps++;
			}
			knock.gotThrough(true);
		}

	}

}
