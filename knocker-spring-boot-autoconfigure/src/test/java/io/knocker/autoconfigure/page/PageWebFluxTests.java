package io.knocker.autoconfigure.page;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.knocker.autoconfigure.WebServers;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The page on WebFlux (Reactor Netty), as on servlet servers. */
class PageWebFluxTests {

	@Test
	void pageIsServedAsHtmlOnReactorNetty() throws Exception {
		try (ConfigurableApplicationContext context = WebServers.on("netty", PageApp.class)
			.run("--server.port=0", "--server.address=127.0.0.1", "--spring.main.web-application-type=reactive",
					"--management.endpoints.web.exposure.include=contention,knocker",
					"--management.endpoint.contention.access=unrestricted")) {
			assertThat(WebServers.of(context).getClass().getSimpleName()).isEqualTo("NettyWebServer");
			HttpClient client = HttpClient.newHttpClient();
			HttpResponse<String> page = client.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + WebServers.port(context) + "/actuator/knocker"))
				.header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type.replace(" ", "").toLowerCase()).isEqualTo("text/html;charset=utf-8"));
			assertThat(page.body()).contains("<title>Knocker: where requests wait</title>")
				.contains("data-contention=\"contention\"", "data-writable=\"true\"");
		}
	}

}
