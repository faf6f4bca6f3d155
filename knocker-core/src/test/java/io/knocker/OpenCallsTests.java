package io.knocker;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

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
		// Every look found the one call.
		assertThat(one.looks()).isEqualTo(2_000);
		one.close();
		assertThat(this.calls.count()).isZero();
	}

	@Test
	void aCallOpeningWhileTheLoopRetiresASegmentIsNeverLostToTheLooks() {
		// Bursts of calls open and close on another thread while the test's thread, as
		// the loop, looks and retires the emptied segments: every call open is looked at
		// (a call placed in a segment as it is dropped would wait here forever).
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
