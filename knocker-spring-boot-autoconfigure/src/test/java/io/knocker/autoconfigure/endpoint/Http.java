package io.knocker.autoconfigure.endpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;

/** A plain HTTP client for the endpoint's tests: what a user's curl would see. */
final class Http {

	private final HttpClient client = HttpClient.newHttpClient();

	private final int port;

	Http(int port) {
		this.port = port;
	}

	HttpResponse<String> get(String path) throws Exception {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	HttpResponse<String> post(String path, String body) throws Exception {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST((body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody()));
	}

	@SuppressWarnings("unchecked")
	Map<String, Object> getJson(String path) throws Exception {
		HttpResponse<String> response = get(path);
		if (response.statusCode() != 200) {
			throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
		}
		return json(response);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> json(HttpResponse<String> response) {
		// JsonPath, not Jackson: Spring Boot 4 brings Jackson 3, Boot 3.5 Jackson 2.
		return JsonPath.parse(response.body()).read("$", Map.class);
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Map<String, Object> json, String... path) {
		Map<String, Object> map = json;
		for (String key : path) {
			map = (Map<String, Object>) map.get(key);
		}
		return map;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
