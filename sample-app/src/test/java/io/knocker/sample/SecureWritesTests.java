package io.knocker.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads are open; writes to the contention endpoint take the role ADMIN. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SecureWritesTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Test
	void readsAreOpenToAnyone() throws Exception {
		assertThat(send("GET", "/actuator/health", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/contention", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/contention/jvm", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/metrics", null).statusCode()).isEqualTo(200);
	}

	@Test
	void anUnauthenticatedWriteIsUnauthorized() throws Exception {
		assertThat(send("POST", "/actuator/contention", null).statusCode()).isEqualTo(401);
	}

	@Test
	void aMonitorMayNotWrite() throws Exception {
		assertThat(send("POST", "/actuator/contention", "monitor:monitor").statusCode()).isEqualTo(403);
	}

	@Test
	void anAdminMayWrite() throws Exception {
		HttpResponse<String> response = send("POST", "/actuator/contention", "admin:admin");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"running\":true");
	}

	@Test
	void aWrongPasswordIsUnauthorized() throws Exception {
		assertThat(send("POST", "/actuator/contention", "admin:guess").statusCode()).isEqualTo(401);
	}

	@Test
	void theContentionEndpointsRejectedRequestsAreNotBooked() throws Exception {
		assertThat(send("POST", "/actuator/contention", null).statusCode()).isEqualTo(401);
		assertThat(send("POST", "/actuator/contention", "monitor:monitor").statusCode()).isEqualTo(403);
		// Rejected before any endpoint matched, they would be keyed POST UNKNOWN.
		org.awaitility.Awaitility.await()
			.during(java.time.Duration.ofMillis(300))
			.atMost(java.time.Duration.ofSeconds(2))
			.until(() -> send("GET", "/actuator/contention", null).body(),
					(body) -> !body.contains("UNKNOWN") && !body.contains("/actuator/contention"));
	}

	private HttpResponse<String> send(String method, String path, String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.method(method, "POST".equals(method) ? HttpRequest.BodyPublishers.ofString("{\"action\":\"reset\"}")
					: HttpRequest.BodyPublishers.noBody());
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
