package io.knocker.autoconfigure.endpoint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Erlang C against the closed forms and the published tables.
 */
class QueueingTests {

	@Test
	void oneServerWaitsAsOftenAsItIsBusy() {
		// M/M/1: P(wait) = rho, mean wait = rho / (1 - rho) holds.
		assertThat(Queueing.waitProbability(1, 0.3)).isCloseTo(0.3, within(1e-12));
		assertThat(Queueing.meanWait(1, 0.75)).isCloseTo(3.0, within(1e-9));
		assertThat(Queueing.loadFor(1, 0.6)).isCloseTo(0.6, within(1e-9));
	}

	@Test
	void twoServersMatchTheClosedForm() {
		// M/M/2: P(wait) = 2 rho^2 / (1 + rho), rho = a / 2.
		for (double rho : new double[] { 0.1, 0.5, 0.86, 0.99 }) {
			double load = 2 * rho;
			assertThat(Queueing.waitProbability(2, load)).isCloseTo(2 * rho * rho / (1 + rho), within(1e-12));
			assertThat(Queueing.loadFor(2, 2 * rho * rho / (1 + rho))).isCloseTo(load, within(1e-9));
		}
	}

	@Test
	void manyServersMatchTheTables() {
		// Erlang C tables: 10 agents, 8 erlangs: 0.409; 200 servers at 180 erlangs:
		// 0.0917.
		assertThat(Queueing.waitProbability(10, 8)).isCloseTo(0.409, within(0.001));
		double busy = Queueing.waitProbability(200, 180);
		assertThat(busy).isBetween(0.05, 0.15);
		assertThat(Queueing.loadFor(200, busy)).isCloseTo(180, within(1e-6));
	}

	@Test
	void atOrAboveSaturationEveryArrivalWaitsForever() {
		assertThat(Queueing.waitProbability(4, 4)).isEqualTo(1.0);
		assertThat(Queueing.meanWait(4, 5)).isInfinite();
		assertThat(Queueing.waitProbability(4, 0)).isZero();
		assertThat(Queueing.loadFor(4, 0)).isZero();
	}

	@Test
	void aLargerPoolWaitsLessAtTheSameLoad() {
		double load = 1.7;
		double previous = Queueing.meanWait(2, load);
		for (int servers = 3; servers < 10; servers++) {
			double wait = Queueing.meanWait(servers, load);
			assertThat(wait).isLessThan(previous);
			previous = wait;
		}
	}

}
