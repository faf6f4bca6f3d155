package io.knocker.benchmarks.advice;

import java.time.Duration;
import java.util.Locale;
import java.util.PriorityQueue;

/**
 * The load's own requests (the same rate and seed) through an ideal queue: {@code c}
 * servers, first come first served, each hold lengthened by a fixed time. Its mean wait
 * over the measured stretch is what this very sample would wait, where Erlang C gives the
 * mean over all samples; the added time stands for what a real door adds to every hold (a
 * hand-off, a wake-up).
 * <p>
 * Run:
 * {@code java -cp <classpath> io.knocker.benchmarks.advice.SamplePath 85 [seed 40] [warm-up 10] [measured 30] [mean hold ms 20]};
 * prints the mean wait in milliseconds at 2 to 7 servers, each hold lengthened by 0 to
 * 1.5 ms.
 */
public final class SamplePath {

	private static final double[] ADDED_MILLIS = { 0, 0.2, 0.4, 0.6, 1.0, 1.5 };

	private SamplePath() {
	}

	public static void main(String[] args) {
		double rate = Double.parseDouble(args[0]);
		long seed = (args.length > 1) ? Long.parseLong(args[1]) : 40;
		double warmup = (args.length > 2) ? Double.parseDouble(args[2]) : 10;
		double measured = (args.length > 3) ? Double.parseDouble(args[3]) : 30;
		Duration meanHold = Duration.ofMillis((args.length > 4) ? Long.parseLong(args[4]) : 20);
		System.out.printf(Locale.ROOT, "| added to each hold (ms) |%s%n", " 2 | 3 | 4 | 5 | 6 | 7 |");
		System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
		for (double added : ADDED_MILLIS) {
			StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %.1f |", added));
			for (int servers = 2; servers <= 7; servers++) {
				double wait = meanWait(servers, new Arrivals(rate, meanHold, seed), added / 1e3, warmup,
						warmup + measured);
				row.append(String.format(Locale.ROOT, " %.2f |", wait * 1e3));
			}
			System.out.println(row);
		}
	}

	/**
	 * The mean wait of the requests arriving in {@code [from, to)}.
	 * @param servers the servers
	 * @param arrivals the requests, not yet drawn
	 * @param added the time added to each hold, in seconds
	 * @param from the stretch's start, in seconds
	 * @param to its end
	 * @return the mean wait in seconds
	 */
	static double meanWait(int servers, Arrivals arrivals, double added, double from, double to) {
		PriorityQueue<Double> free = new PriorityQueue<>();
		for (int i = 0; i < servers; i++) {
			free.add(0.0);
		}
		double waited = 0;
		long count = 0;
		for (arrivals.next(); arrivals.at() < to; arrivals.next()) {
			double start = Math.max(arrivals.at(), free.poll());
			free.add(start + arrivals.holdMicros() / 1e6 + added);
			if (arrivals.at() >= from) {
				waited += start - arrivals.at();
				count++;
			}
		}
		return (count > 0) ? waited / count : 0.0;
	}

}
