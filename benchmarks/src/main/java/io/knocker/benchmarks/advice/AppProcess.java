package io.knocker.benchmarks.advice;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CapacityApp} in a process of its own, on a free port, with this JVM's class
 * path; its output goes to a log file.
 */
final class AppProcess implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final Process process;

	private final URI base;

	private final Thread killer;

	private AppProcess(Process process, int port) {
		this.process = process;
		this.base = URI.create("http://127.0.0.1:" + port);
		// The harness stopped (Ctrl-C): the application goes with it.
		this.killer = new Thread(process::destroyForcibly, "capacity-app-killer");
		Runtime.getRuntime().addShutdownHook(this.killer);
	}

	/**
	 * Start the application and wait until it answers.
	 * @param properties its command-line properties, {@code --name=value}
	 * @param log where its output goes
	 * @return the running application
	 * @throws IOException if it cannot start or does not answer within a minute
	 * @throws InterruptedException if interrupted while waiting
	 */
	static AppProcess start(List<String> properties, Path log) throws IOException, InterruptedException {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms256m", "-Xmx256m", "-cp",
				System.getProperty("java.class.path"), CapacityApp.class.getName(), "--server.port=" + port));
		command.addAll(properties);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		AppProcess app = new AppProcess(process, port);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IOException("CapacityApp exited with " + process.exitValue() + ", see " + log);
			}
			try {
				app.get("/actuator/contention");
				return app;
			}
			catch (IOException ex) {
				Thread.sleep(250);
			}
		}
		app.close();
		throw new IOException("CapacityApp did not answer within a minute, see " + log);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	URI uri(String path) {
		return this.base.resolve(path);
	}

	JsonNode get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	JsonNode post(String path, String body) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
		HttpResponse<String> response = this.client.send(request.timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(response.request().uri() + " answered " + response.statusCode());
		}
		return json.readTree(response.body());
	}

	/** Stop the application: SIGTERM, then after 15 s, SIGKILL. */
	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
		Runtime.getRuntime().removeShutdownHook(this.killer);
	}

}
