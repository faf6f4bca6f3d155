package io.knocker;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline: a quantile of the recent idle latencies, outliers above its ceiling
 * ignored.
 */
class BaselineTests {

	@Test
	void isTheMedianOfWhatItSawAndZeroBeforeAnything() {
		Baseline baseline = new Baseline(1_000);
		assertThat(baseline.nanos()).isZero();
		for (long latency : new long[] { 50, 10, 40, 20, 30 }) {
			baseline.observe(latency);
		}
		assertThat(baseline.nanos()).isEqualTo(30);
	}

	@Test
	void ignoresLatenciesAboveItsCeilingAndBelowZero() {
		Baseline baseline = new Baseline(100);
		baseline.observe(20);
		baseline.observe(5_000);
		baseline.observe(-1);
		assertThat(baseline.nanos()).isEqualTo(20);
	}

	@Test
	void keepsTheLastSixtyFourAndRecomputesEveryEighthOnceFull() {
		Baseline baseline = new Baseline(1_000);
		for (int i = 0; i < 64; i++) {
			baseline.observe(10);
		}
		assertThat(baseline.nanos()).isEqualTo(10);
		// Seven new latencies of 500: not yet recomputed.
		for (int i = 0; i < 7; i++) {
			baseline.observe(500);
		}
		assertThat(baseline.nanos()).isEqualTo(10);
		// Thirty-three of 500 in the last 64: the median moves to them.
		for (int i = 7; i < 40; i++) {
			baseline.observe(500);
		}
		assertThat(baseline.nanos()).isEqualTo(500);
	}

	@Test
	void aHigherQuantileReadsTheTail() {
		Baseline baseline = new Baseline(1_000, 0.9);
		for (long latency = 1; latency <= 10; latency++) {
			baseline.observe(latency * 10);
		}
		assertThat(baseline.nanos()).isEqualTo(90);
	}

}
