package io.knocker.autoconfigure.endpoint;

import java.net.http.HttpResponse;
import java.util.Map;

import io.knocker.KnockKnock;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.WebServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint's write limits on WebFlux (Reactor Netty), as on servlet servers. */
class ContentionEndpointWebFluxTests {

	private static ConfigurableApplicationContext context;

	private static int port;

	private static Knockers knockers;

	@BeforeAll
	static void start() {
		// Reactor Netty, not the reactive Jetty or Tomcat the test classpath also has.
		context = WebServers.on("netty", ContentionApp.class)
			.run("--server.port=0", "--server.address=127.0.0.1", "--spring.main.web-application-type=reactive",
					"--management.endpoints.web.exposure.include=contention",
					"--management.endpoint.contention.access=unrestricted",
					"--knocker.doors.inventory-lock.bean=inventoryLock");
		port = WebServers.port(context);
		knockers = context.getBean(Knockers.class);
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void runsOnReactorNetty() {
		assertThat(WebServers.of(context).getClass().getSimpleName()).isEqualTo("NettyWebServer");
	}

	@Test
	void anOversizedBodyIsRefusedUnreadAndChangesNothing() throws Exception {
		String huge = "{\"action\":\"stop\",\"padding\":\"" + "x".repeat(2_000) + "\"}";
		HttpResponse<String> response = new Http(port).post("/actuator/contention", huge);
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("at most 1024");
		assertThat(knockers.all()).allMatch(KnockKnock::isRunning);
	}

	@Test
	void aSmallWriteStillWorks() throws Exception {
		HttpResponse<String> response = new Http(port).post("/actuator/contention", "{\"action\":\"reset\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> body = Http.json(response);
		assertThat(body.get("running")).isEqualTo(true);
	}

}
