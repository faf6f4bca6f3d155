package io.knocker.autoconfigure.page;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.knocker.autoconfigure.WebServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page over real HTTP on a servlet server: served only when exposed, where the
 * actuator serves its endpoints, and pointing at the contention endpoint wherever that
 * is.
 */
class PageEndpointWebTests {

	private final HttpClient client = HttpClient.newHttpClient();

	private final ClassLoader classLoader = Thread.currentThread().getContextClassLoader();

	@AfterEach
	void restoreClassLoader() {
		// A management server's Tomcat leaves its own, stopped, class loader on the
		// thread.
		Thread.currentThread().setContextClassLoader(this.classLoader);
	}

	@Test
	void pageIsServedAsHtmlWhenExposed() throws Exception {
		try (ConfigurableApplicationContext context = start(
				"--management.endpoints.web.exposure.include=contention,knocker")) {
			int port = WebServers.port(context);
			HttpResponse<String> page = get(port, "/actuator/knocker", "text/html");
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type.replace(" ", "").toLowerCase()).isEqualTo("text/html;charset=utf-8"));
			assertThat(page.body()).contains("<title>Knocker: where requests wait</title>")
				.contains("data-contention=\"contention\"", "data-writable=\"false\"");
			// What a browser sends when it follows a link, and what curl sends.
			assertThat(get(port, "/actuator/knocker", "text/html,application/xhtml+xml,*/*;q=0.8").statusCode())
				.isEqualTo(200);
			assertThat(get(port, "/actuator/knocker", "*/*").statusCode()).isEqualTo(200);
			// The JSON it reads is where the page says.
			assertThat(get(port, "/actuator/contention", "application/json").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void nothingIsServedWhenThePageIsNotExposed() throws Exception {
		try (ConfigurableApplicationContext context = start("--management.endpoints.web.exposure.include=contention")) {
			assertThat(get(WebServers.port(context), "/actuator/knocker", "text/html").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void pageIsServedOnTheManagementPortUnderItsBasePath() throws Exception {
		try (ConfigurableApplicationContext context = start(
				"--management.endpoints.web.exposure.include=contention,knocker", "--management.server.port=0",
				"--management.server.address=127.0.0.1", "--management.endpoints.web.base-path=/manage")) {
			int port = WebServers.port(context);
			int managementPort = context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
			assertThat(managementPort).isNotEqualTo(port);
			assertThat(get(managementPort, "/manage/knocker", "text/html").body())
				.contains("data-contention=\"contention\"");
			assertThat(get(managementPort, "/manage/contention", "application/json").statusCode()).isEqualTo(200);
			assertThat(get(port, "/manage/knocker", "text/html").statusCode()).isEqualTo(404);
			assertThat(get(port, "/actuator/knocker", "text/html").statusCode()).isEqualTo(404);
		}
	}

	@Test
	void pageFindsTheContentionEndpointUnderItsOwnPathMapping() throws Exception {
		try (ConfigurableApplicationContext context = start(
				"--management.endpoints.web.exposure.include=contention,knocker",
				"--management.endpoints.web.path-mapping.knocker=tools/knocker",
				"--management.endpoints.web.path-mapping.contention=waits")) {
			HttpResponse<String> page = get(WebServers.port(context), "/actuator/tools/knocker", "text/html");
			assertThat(page.statusCode()).isEqualTo(200);
			// /actuator/tools/knocker + ../waits = /actuator/waits
			assertThat(page.body()).contains("data-contention=\"../waits\"");
			assertThat(get(WebServers.port(context), "/actuator/waits", "application/json").statusCode())
				.isEqualTo(200);
		}
	}

	@Test
	void pageOffersAResetWhereTheContentionEndpointAcceptsWrites() throws Exception {
		try (ConfigurableApplicationContext context = start(
				"--management.endpoints.web.exposure.include=contention,knocker",
				"--management.endpoint.contention.access=unrestricted")) {
			assertThat(get(WebServers.port(context), "/actuator/knocker", "text/html").body())
				.contains("data-writable=\"true\"");
		}
	}

	private ConfigurableApplicationContext start(String... args) {
		String[] all = new String[args.length + 2];
		all[0] = "--server.port=0";
		all[1] = "--server.address=127.0.0.1";
		System.arraycopy(args, 0, all, 2, args.length);
		return WebServers.on("tomcat", PageApp.class).run(all);
	}

	private HttpResponse<String> get(int port, String path, String accept) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Accept", accept)
			.GET()
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
