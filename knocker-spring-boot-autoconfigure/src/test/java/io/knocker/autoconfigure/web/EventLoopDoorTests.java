package io.knocker.autoconfigure.web;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import io.knocker.Doors;
import io.knocker.KnockKnock;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.WebServers;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The event-loop door on a real Reactor Netty server: low at rest, high while a loop is
 * blocked.
 */
class EventLoopDoorTests {

	@Test
	void aBlockedEventLoopReadsHighAndIdleLoopsLow() throws Exception {
		// Reactor Netty, not the reactive Jetty or Tomcat the test classpath also has.
		ConfigurableApplicationContext context = WebServers.on("netty", SlowApp.class)
			.run("--server.port=0", "--server.address=127.0.0.1", "--spring.main.web-application-type=reactive");
		try {
			Knockers knockers = context.getBean(Knockers.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> knockers.get("event-loop") != null);
			assertThat(WebServers.of(context).getClass().getSimpleName()).isEqualTo("NettyWebServer");
			KnockKnock door = knockers.get("event-loop");
			assertThat(door.getDoor().kind()).isEqualTo("executor");
			// At rest: idle loops taking a no-op for about 27 windows, beside a knocker
			// of the same settings on idle event loops of its own, which knocks at the
			// same moments (one schedule serves both): what the machine's load alone
			// makes an idle event loop read. A bare hand-off loop timed differently
			// read 0.03 where the door read 0.32 on a loaded machine; under the same
			// load both doors read alike, given enough knocks (over ten windows, beside
			// two spinning loops, door and control read 0.225 and 0.083 once, 0.138 and
			// 0.193 the next time).
			// Loops of the server's own kind (Reactor Netty's, native transport where
			// the server has it): plain NIO loops wake another way, and beside two
			// spinning loops read 0.022 where the server's read 0.106.
			LoopResources ownResources = LoopResources.create("control", 4, true);
			EventLoopGroup ownLoops = ownResources.onServer(LoopResources.DEFAULT_NATIVE);
			// Their threads started first, as the server's are.
			for (EventExecutor loop : ownLoops) {
				loop.submit(() -> {
				}).sync();
			}
			double rest;
			double noise;
			try (KnockKnock control = KnockKnock.builder()
				.name("control")
				.door(Doors.executor(ownLoops))
				.pollingInterval(door.getPollingInterval())
				.samplingInterval(door.getSamplingInterval())
				.sleepingInterval(door.getSleepingInterval())
				.timeout(door.getTimeout())
				.build()) {
				control.start();
				door.resetContentionMetric();
				Thread.sleep(3000);
				rest = door.getContentionMetric();
				noise = control.getContentionMetric();
			}
			finally {
				ownResources.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
			}
			door.resetContentionMetric();
			EventLoopGroup loops = context.getBean(ReactorResourceFactory.class)
				.getLoopResources()
				.onServer(LoopResources.DEFAULT_NATIVE);
			// A blocking call on one event loop for a second and a half.
			loops.execute(() -> LockSupport.parkNanos(1_500_000_000L));
			Thread.sleep(1200);
			double blocked = door.getContentionMetric();
			System.out.printf("event-loop door: rest %.4f (idle loops of its own %.4f), one loop blocked %.3f%n", rest,
					noise, blocked);
			// A knock that lands on the blocked loop waits for it, and later knocks count
			// busy.
			assertThat(blocked).isGreaterThan(0.5);
			// An idle loop wakes from its selector in tens of microseconds; what is
			// left is the machine's load, which idle loops of the test's own read too.
			// Their knocks are as few as the door's, so one slow wake-up weighs as much
			// in both; yet beside two spinning loops the server's loops read up to 2.6
			// times the control (0.143 against 0.055; also 0.143/0.069, 0.058/0.056),
			// as the two groups' threads wake unevenly: three times theirs. A band up
			// to the blocked reading would tell nothing: the run says so (skipped)
			// rather than passing.
			double band = 0.05 + 3 * noise;
			assumeThat(band).as("the machine's noise leaves no room between rest and blocked").isLessThan(blocked);
			assertThat(rest).isLessThan(band);
		}
		finally {
			context.close();
		}
	}

	@Test
	void onAServletServerThereIsNoEventLoopDoor() {
		ConfigurableApplicationContext context = WebServers.on("tomcat", SlowApp.class)
			.run("--server.port=0", "--server.address=127.0.0.1");
		try {
			Knockers knockers = context.getBean(Knockers.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> knockers.get("http") != null);
			assertThat(knockers.get("event-loop")).isNull();
		}
		finally {
			context.close();
		}
	}

}
