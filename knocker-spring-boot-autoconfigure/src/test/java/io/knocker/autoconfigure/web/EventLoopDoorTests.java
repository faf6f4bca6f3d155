package io.knocker.autoconfigure.web;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import io.knocker.KnockKnock;
import io.knocker.autoconfigure.HandOffControl;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.WebServers;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;
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
			// At rest: about ten windows of idle loops taking a no-op, beside a bare
			// hand-off loop on the same cycle to event loops of its own (an event loop
			// wakes from its selector; a pool thread from a park, which a loaded machine
			// delays less).
			door.resetContentionMetric();
			HandOffControl control = new HandOffControl(new NioEventLoopGroup(2));
			Thread.sleep(1200);
			double rest = door.getContentionMetric();
			double noise = control.reading();
			door.resetContentionMetric();
			EventLoopGroup loops = context.getBean(ReactorResourceFactory.class)
				.getLoopResources()
				.onServer(LoopResources.DEFAULT_NATIVE);
			// A blocking call on one event loop for a second and a half.
			loops.execute(() -> LockSupport.parkNanos(1_500_000_000L));
			Thread.sleep(1200);
			double blocked = door.getContentionMetric();
			System.out.printf("event-loop door: rest %.4f (bare hand-off loop %.4f), one loop blocked %.3f%n", rest,
					noise, blocked);
			// An idle loop wakes from its selector in tens of microseconds; what is left
			// is the machine's load, which the bare hand-off loop beside it reads too
			// (rest 0.33 beside two spinning loops, against a fixed band of 0.25 once;
			// 0.26 against a pool-thread control's 0.01 another time).
			assertThat(rest).isLessThan(0.05 + 3 * noise);
			// A knock that lands on the blocked loop waits for it, and later knocks count
			// busy.
			assertThat(blocked).isGreaterThan(0.5);
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
