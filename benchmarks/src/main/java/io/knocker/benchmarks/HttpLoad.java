package io.knocker.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The README's load on the sample app, without a process per request: four clients on
 * {@code POST /checkout} and four on {@code GET /catalog} for a number of seconds; prints
 * the requests completed per second. With a path as third argument, all eight clients
 * {@code GET} that path instead.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.knocker.benchmarks.HttpLoad 8080 10}.
 */
public final class HttpLoad {

	private HttpLoad() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		int seconds = Integer.parseInt(args[1]);
		HttpClient client = HttpClient.newHttpClient();
		HttpRequest checkout = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/checkout"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		HttpRequest catalog = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + ((args.length > 2) ? args[2] : "/catalog")))
			.build();
		AtomicLong completed = new AtomicLong();
		long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
		List<Thread> clients = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			HttpRequest request = (i % 2 == 0 && args.length <= 2) ? checkout : catalog;
			Thread thread = new Thread(() -> {
				while (System.nanoTime() < end) {
					try {
						if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
							completed.incrementAndGet();
						}
					}
					catch (Exception ex) {
						return;
					}
				}
			});
			thread.start();
			clients.add(thread);
		}
		for (Thread thread : clients) {
			thread.join();
		}
		System.out.printf("%.1f%n", completed.get() / (double) seconds);
	}

}
