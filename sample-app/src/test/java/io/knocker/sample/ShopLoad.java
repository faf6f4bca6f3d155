package io.knocker.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The README's quick-start load, from Java: connections that each repeat one request for
 * a bounded time, on loopback.
 */
final class ShopLoad {

	private ShopLoad() {
	}

	/**
	 * Runs the load and waits for its end.
	 * @param port the shop's port
	 * @param time how long
	 * @param requests one request per connection: {@code "POST /checkout"},
	 * {@code "GET /catalog"}, ...
	 * @return the requests answered 200
	 */
	static long run(int port, Duration time, String... requests) throws Exception {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		ExecutorService connections = Executors.newFixedThreadPool(requests.length);
		AtomicLong answered = new AtomicLong();
		long end = System.nanoTime() + time.toNanos();
		try {
			List<Future<?>> running = new ArrayList<>();
			for (String request : requests) {
				String[] methodAndPath = request.split(" ", 2);
				HttpRequest http = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + methodAndPath[1]))
					.method(methodAndPath[0], HttpRequest.BodyPublishers.noBody())
					.build();
				running.add(connections.submit(() -> {
					while (System.nanoTime() < end) {
						if (client.send(http, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
							answered.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> connection : running) {
				connection.get();
			}
		}
		finally {
			connections.shutdownNow();
		}
		return answered.get();
	}

}
