package io.knocker.autoconfigure.endpoint;

import java.net.http.HttpResponse;
import java.util.Map;

import io.knocker.KnockKnock;
import io.knocker.autoconfigure.Knockers;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint's write limits on WebFlux (Reactor Netty), as on servlet servers. */
@SpringBootTest(classes = ContentionApp.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"spring.main.web-application-type=reactive",
		// Reactor Netty, not the reactive Jetty or Tomcat the test classpath also has.
		"spring.autoconfigure.exclude=org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration,org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
		"management.endpoints.web.exposure.include=contention", "management.endpoint.contention.access=unrestricted",
		"knocker.doors.inventory-lock.bean=inventoryLock" })
class ContentionEndpointWebFluxTests {

	@LocalServerPort
	private int port;

	@Autowired
	private Knockers knockers;

	@Autowired
	private WebServerApplicationContext context;

	@Test
	void runsOnReactorNetty() {
		assertThat(this.context.getWebServer().getClass().getSimpleName()).isEqualTo("NettyWebServer");
	}

	@Test
	void anOversizedBodyIsRefusedUnreadAndChangesNothing() throws Exception {
		String huge = "{\"action\":\"stop\",\"padding\":\"" + "x".repeat(2_000) + "\"}";
		HttpResponse<String> response = new Http(this.port).post("/actuator/contention", huge);
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("at most 1024");
		assertThat(this.knockers.all()).allMatch(KnockKnock::isRunning);
	}

	@Test
	void aSmallWriteStillWorks() throws Exception {
		HttpResponse<String> response = new Http(this.port).post("/actuator/contention", "{\"action\":\"reset\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> body = Http.json(response);
		assertThat(body.get("running")).isEqualTo(true);
	}

}
