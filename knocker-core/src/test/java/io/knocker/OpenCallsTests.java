package io.knocker;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The open calls a knock looks at, driven by the test in place of the knock loop. */
class OpenCallsTests {

	private final OpenCalls calls = new OpenCalls(new Door("test") {
		@Override
		protected void knock(Knock knock) {
			knock.gotThrough(true);
		}

		@Override
		protected WaitingCheck waitingCheck() {
			return (thread) -> Boolean.TRUE;
		}
	});

	@Test
	void afterABurstTheWalkShrinksBackToTheCallsOpenNow() {
		List<OpenCalls.Call> burst = new ArrayList<>();
		for (int i = 0; i < 5_000; i++) {
			burst.add(this.calls.open(Thread.currentThread()));
		}
		int atPeak = this.calls.slots();
		burst.forEach(OpenCalls.Call::close);
		OpenCalls.Call one = this.calls.open(Thread.currentThread());
		for (int i = 0; i < 2_000; i++) {
			this.calls.look();
		}
		System.out.printf("open calls: %d slots at the peak, %d with one call open%n", atPeak, this.calls.slots());
		assertThat(atPeak).isGreaterThanOrEqualTo(5_000);
		assertThat(this.calls.slots()).isLessThanOrEqualTo(24);
		// Every look found the one call, and stood for one knock.
		assertThat(one.looks()).isEqualTo(2_000L * one.unitsPerKnock());
		one.close();
		assertThat(this.calls.count()).isZero();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 32, 33, 40, 100, 2_000 })
	void eachCallIsCreditedTheKnocksItWasOpenForAtAnyNumberOpen(int open) {
		// Each look stands for open / 32 knocks: with ceil(open / 32) instead, 33 open
		// calls read x1.94, 40 x1.60, 100 x1.28.
		List<OpenCalls.Call> calls = new ArrayList<>();
		for (int i = 0; i < open; i++) {
			calls.add(this.calls.open(Thread.currentThread()));
		}
		int knocks = 64 * Math.max(1, open);
		for (int i = 0; i < knocks; i++) {
			this.calls.look();
		}
		long credited = 0;
		for (OpenCalls.Call call : calls) {
			double knocksOfCall = (double) call.looks() / call.unitsPerKnock();
			// The rotation looks at each call every open / 32 knocks: exact to one look.
			assertThat(knocksOfCall).isCloseTo(knocks, org.assertj.core.data.Offset.offset(open / 32.0 + 1));
			assertThat(call.waits()).isEqualTo(call.looks());
			credited += call.looks();
			call.close();
		}
		assertThat((double) credited / calls.get(0).unitsPerKnock() / open).isCloseTo(knocks,
				org.assertj.core.data.Percentage.withPercentage(1));
		assertThat(this.calls.count()).isZero();
		assertThat(this.calls.slots()).isZero();
	}

	@Test
	void aCallOpenedWhileOthersCloseTakesTheLowestFreeSlotSoTheWalkStaysShort() {
		List<OpenCalls.Call> burst = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			burst.add(this.calls.open(Thread.currentThread()));
		}
		// Every other call closes: the next ones fill the holes, not the end.
		for (int i = 0; i < burst.size(); i += 2) {
			burst.get(i).close();
		}
		for (int i = 0; i < 5_000; i++) {
			this.calls.open(Thread.currentThread());
		}
		assertThat(this.calls.slots()).isEqualTo(10_000);
		assertThat(this.calls.count()).isEqualTo(10_000);
	}

	@Test
	void aCallOpeningWhileTheLoopWalksIsNeverLostToTheLooks() {
		// Bursts of calls open and close on another thread while the test's thread, as
		// the loop, looks: every call open is looked at (a call the walk missed would
		// wait here forever).
		Thread opener = new Thread(() -> {
			for (int burst = 0; burst < 600; burst++) {
				List<OpenCalls.Call> open = new ArrayList<>();
				for (int i = 0; i < 100; i++) {
					open.add(this.calls.open(Thread.currentThread()));
				}
				for (OpenCalls.Call call : open) {
					while (call.looks() < 2) {
						Thread.onSpinWait();
					}
					call.close();
				}
			}
		});
		opener.setDaemon(true);
		opener.start();
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (opener.isAlive() && System.nanoTime() < deadline) {
			this.calls.look();
		}
		assertThat(opener.isAlive()).as("a call waited in vain to be looked at").isFalse();
		assertThat(this.calls.count()).isZero();
		System.out.printf("open calls after the bursts: %d slots%n", this.calls.slots());
	}

}
