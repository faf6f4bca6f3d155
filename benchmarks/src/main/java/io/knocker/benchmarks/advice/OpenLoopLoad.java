package io.knocker.benchmarks.advice;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load: Poisson arrivals at a fixed rate, each request sent at its scheduled
 * time whatever the earlier ones did (as the queueing model assumes), each asking for an
 * exponential service time of the given mean ({@code ?hold=} microseconds). Arrivals and
 * service times come from one seeded generator, so two runs with the same seed and rate
 * send the same requests at the same moments.
 * <p>
 * Each request is written by a thread of its own on a kept-alive socket (plain blocking
 * HTTP/1.1), right after it stamps its send time: the stamp is when the request left, and
 * how late that was against the schedule is counted. (An asynchronous client stamps when
 * it is handed the request and writes it later from its own selector thread; on a busy
 * machine its requests left in bursts that the stamps did not show.)
 * <p>
 * Requests sent after {@link #mark()} and before {@link #stop(Duration)} are tallied: the
 * client's latency and the times the application put in its response headers.
 */
final class OpenLoopLoad {

	private final String host;

	private final int port;

	private final String path;

	private final double rate;

	private final Duration meanHold;

	private final long seed;

	private final Thread scheduler;

	private final ExecutorService senders = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "open-loop-sender");
		thread.setDaemon(true);
		return thread;
	});

	private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final Tally tally = new Tally();

	private volatile boolean running = true;

	private volatile long markNanos = Long.MAX_VALUE;

	/**
	 * A load, not started.
	 * @param target the URI to {@code GET} (no query)
	 * @param rate the arrivals per second
	 * @param meanHold the service time's mean
	 * @param seed the generator's seed
	 */
	OpenLoopLoad(URI target, double rate, Duration meanHold, long seed) {
		this.host = target.getHost();
		this.port = target.getPort();
		this.path = target.getPath();
		this.rate = rate;
		this.meanHold = meanHold;
		this.seed = seed;
		this.scheduler = new Thread(this::schedule, "open-loop-scheduler");
		this.scheduler.setDaemon(true);
	}

	void start() {
		this.scheduler.start();
	}

	/** Tally the requests sent from now on. */
	void mark() {
		this.markNanos = System.nanoTime();
	}

	/**
	 * Send no more, wait for the requests under way, and say how the tallied ones went.
	 * @param drain how long to wait for the requests under way
	 * @return the tally of the requests sent since {@link #mark()}
	 * @throws InterruptedException if interrupted while waiting
	 */
	Tally stop(Duration drain) throws InterruptedException {
		long stopped = System.nanoTime();
		this.running = false;
		this.scheduler.join();
		this.tally.seconds = (stopped - this.markNanos) / 1e9;
		long deadline = System.nanoTime() + drain.toNanos();
		while (this.inFlight.get() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		this.tally.unfinished = this.inFlight.get();
		this.senders.shutdownNow();
		for (Connection connection = this.idle.poll(); connection != null; connection = this.idle.poll()) {
			connection.close();
		}
		return this.tally;
	}

	private void schedule() {
		Arrivals arrivals = new Arrivals(this.rate, this.meanHold, this.seed);
		long start = System.nanoTime();
		while (this.running) {
			arrivals.next();
			long hold = arrivals.holdMicros();
			long scheduled = start + (long) (arrivals.at() * 1e9);
			for (long left = scheduled - System.nanoTime(); left > 0; left = scheduled - System.nanoTime()) {
				LockSupport.parkNanos(left);
			}
			if (!this.running) {
				return;
			}
			this.inFlight.incrementAndGet();
			this.senders.execute(() -> {
				try {
					exchange(scheduled, hold);
				}
				finally {
					this.inFlight.decrementAndGet();
				}
			});
		}
	}

	private void exchange(long scheduled, long hold) {
		Connection connection = this.idle.pollFirst();
		boolean reused = connection != null;
		long sent = System.nanoTime();
		boolean tallied = sent >= this.markNanos;
		if (tallied) {
			this.tally.sent.increment();
			this.tally.lateNanos.add(sent - scheduled);
		}
		byte[] request = ("GET " + this.path + "?hold=" + hold + " HTTP/1.1\r\nHost: " + this.host + ":" + this.port
				+ "\r\nX-Sent-Nanos: " + sent + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		try {
			if (connection == null) {
				connection = new Connection(this.host, this.port);
			}
			Response response;
			try {
				response = connection.exchange(request);
			}
			catch (IOException ex) {
				if (!reused) {
					throw ex;
				}
				// The server closed a kept-alive connection: once more on a new one.
				connection.close();
				connection = new Connection(this.host, this.port);
				response = connection.exchange(request);
			}
			long latency = System.nanoTime() - sent;
			this.idle.offerFirst(connection);
			if (tallied) {
				this.tally.book(response, latency);
			}
		}
		catch (IOException ex) {
			if (connection != null) {
				connection.close();
			}
			if (tallied) {
				this.tally.failed.increment();
			}
		}
	}

	/** The parts of a response the tally needs. */
	private record Response(int status, long serverNanos, long waitNanos, long beforeNanos) {
	}

	/** A kept-alive HTTP/1.1 connection, one exchange at a time. */
	private static final class Connection {

		private final Socket socket;

		private final OutputStream out;

		private final InputStream in;

		Connection(String host, int port) throws IOException {
			this.socket = new Socket();
			this.socket.setTcpNoDelay(true);
			this.socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60));
			this.socket.connect(new InetSocketAddress(host, port), (int) TimeUnit.SECONDS.toMillis(5));
			this.out = this.socket.getOutputStream();
			this.in = new BufferedInputStream(this.socket.getInputStream());
		}

		Response exchange(byte[] request) throws IOException {
			this.out.write(request);
			this.out.flush();
			String status = line();
			if (!status.startsWith("HTTP/1.1 ")) {
				throw new IOException("not an HTTP/1.1 response: " + status);
			}
			long length = 0;
			boolean chunked = false;
			long server = 0;
			long wait = 0;
			long before = 0;
			for (String header = line(); !header.isEmpty(); header = line()) {
				int colon = header.indexOf(':');
				String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
				String value = header.substring(colon + 1).trim();
				switch (name) {
					case "content-length" -> length = Long.parseLong(value);
					case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
					case "x-server-nanos" -> server = Long.parseLong(value);
					case "x-wait-nanos" -> wait = Long.parseLong(value);
					case "x-before-nanos" -> before = Long.parseLong(value);
					default -> {
					}
				}
			}
			if (chunked) {
				for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(),
						16)) {
					skip(size);
					line();
				}
				line();
			}
			else {
				skip(length);
			}
			return new Response(Integer.parseInt(status.substring(9, 12)), server, wait, before);
		}

		private String line() throws IOException {
			StringBuilder line = new StringBuilder();
			for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
				if (b < 0) {
					throw new IOException("connection closed");
				}
				if (b != '\r') {
					line.append((char) b);
				}
			}
			return line.toString();
		}

		private void skip(long bytes) throws IOException {
			this.in.skipNBytes(bytes);
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Closing: nothing to do.
			}
		}

	}

	/** How the tallied requests went, as the client saw them. */
	static final class Tally {

		final LongAdder sent = new LongAdder();

		final LongAdder completed = new LongAdder();

		final LongAdder failed = new LongAdder();

		final LongAdder lateNanos = new LongAdder();

		final LongAdder latencyNanos = new LongAdder();

		final LongAdder serverNanos = new LongAdder();

		final LongAdder waitNanos = new LongAdder();

		final LongAdder beforeNanos = new LongAdder();

		volatile double seconds;

		volatile int unfinished;

		private void book(Response response, long latency) {
			if (response.status() != 200) {
				this.failed.increment();
				return;
			}
			this.completed.increment();
			this.latencyNanos.add(latency);
			this.serverNanos.add(response.serverNanos());
			this.waitNanos.add(response.waitNanos());
			this.beforeNanos.add(response.beforeNanos());
		}

		/**
		 * @return the requests sent per second
		 */
		double rate() {
			return this.sent.sum() / this.seconds;
		}

		/**
		 * @return the share of the client's latency spent outside the worker: the queue
		 * for a worker, and the way there and back
		 */
		double outsideShare() {
			long latency = this.latencyNanos.sum();
			return (latency > 0) ? (latency - this.serverNanos.sum()) / (double) latency : 0.0;
		}

		/**
		 * @return the share of a request's time, from the client's send to the response,
		 * spent before the worker began it: the queue for a worker and the way there, not
		 * the way back
		 */
		double beforeShare() {
			long before = this.beforeNanos.sum();
			return (before > 0) ? before / (double) (before + this.serverNanos.sum()) : 0.0;
		}

		/**
		 * @return the share of the client's latency spent waiting for the resource
		 */
		double waitShare() {
			long latency = this.latencyNanos.sum();
			return (latency > 0) ? this.waitNanos.sum() / (double) latency : 0.0;
		}

		/**
		 * @return the mean latency in milliseconds
		 */
		double meanLatencyMillis() {
			long completed = this.completed.sum();
			return (completed > 0) ? this.latencyNanos.sum() / 1e6 / completed : 0.0;
		}

		/**
		 * @return the mean time on the worker in milliseconds
		 */
		double meanServerMillis() {
			long completed = this.completed.sum();
			return (completed > 0) ? this.serverNanos.sum() / 1e6 / completed : 0.0;
		}

		/**
		 * @return the mean time from the client's send to the first filter, in
		 * milliseconds
		 */
		double meanBeforeMillis() {
			long completed = this.completed.sum();
			return (completed > 0) ? this.beforeNanos.sum() / 1e6 / completed : 0.0;
		}

		/**
		 * @return how late requests left against their schedule, on average, in
		 * milliseconds
		 */
		double meanLateMillis() {
			long sent = this.sent.sum();
			return (sent > 0) ? this.lateNanos.sum() / 1e6 / sent : 0.0;
		}

	}

}
