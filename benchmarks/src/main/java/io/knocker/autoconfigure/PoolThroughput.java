package io.knocker.autoconfigure;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.knocker.KnockKnock;
import io.knocker.MeasuredCall;

/**
 * An application's database throughput with the connection-pool door on and off,
 * interleaved: rounds of a few seconds each, on, off, on, off, so that the machine's
 * drift falls on both alike. Eight client threads on a real HikariCP pool over an
 * in-memory H2 database, each call {@code getConnection}, a query, and (in the "held"
 * workload) 1 ms holding the connection, as a short query would. "On" is what the starter
 * does: the door knocked at the defaults, and each call measured on it as
 * {@code @KnockMeasured} measures it (a MeasuredCall opened and closed around it). Prints
 * a Markdown table. In {@code io.knocker.autoconfigure} to build the door exactly as the
 * starter does.
 * <p>
 * Run:
 * {@code java -cp benchmarks/target/benchmarks.jar io.knocker.autoconfigure.PoolThroughput [rounds] [seconds]}
 */
public final class PoolThroughput {

	private static final int CLIENTS = 8;

	/** {@code -Dcalls=false}: the door knocks, but no call is measured on it. */
	private static final boolean MEASURE_CALLS = Boolean.parseBoolean(System.getProperty("calls", "true"));

	private PoolThroughput() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 6;
		double seconds = (args.length > 1) ? Double.parseDouble(args[1]) : 3;
		System.out.printf("JVM %s %s, %d cores, %d clients, %d rounds of %.0f s each way, interleaved; %s%n%n",
				System.getProperty("java.vm.name"), System.getProperty("java.version"),
				Runtime.getRuntime().availableProcessors(), CLIENTS, rounds, seconds,
				MEASURE_CALLS ? "on = door + each call measured" : "on = door only");
		System.out.println("| workload | pool | door | calls/s (mean of rounds) | spread (sd) | on / off |");
		System.out.println("|---|---:|---|---:|---:|---:|");
		for (int poolSize : new int[] { 2, 10 }) {
			for (boolean held : new boolean[] { false, true }) {
				run(poolSize, held, rounds, seconds);
			}
		}
	}

	private static void run(int poolSize, boolean held, int rounds, double seconds) throws Exception {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:h2:mem:throughput" + poolSize + held + ";DB_CLOSE_DELAY=-1");
		config.setMaximumPoolSize(poolSize);
		config.setMinimumIdle(poolSize);
		config.setPoolName("throughput");
		try (HikariDataSource pool = new HikariDataSource(config)) {
			List<Double> on = new ArrayList<>();
			List<Double> off = new ArrayList<>();
			// A warm-up round each way first, not counted.
			round(pool, true, held, 1);
			round(pool, false, held, 1);
			for (int i = 0; i < rounds; i++) {
				on.add(round(pool, true, held, seconds));
				off.add(round(pool, false, held, seconds));
			}
			String workload = held ? "query, 1 ms held" : "query";
			System.out.printf("| %s | %d | on | %.0f | %.0f | %.3f |%n", workload, poolSize, mean(on), sd(on),
					mean(on) / mean(off));
			System.out.printf("| %s | %d | off | %.0f | %.0f | |%n", workload, poolSize, mean(off), sd(off));
		}
	}

	/** Calls a second over one round. */
	private static double round(HikariDataSource pool, boolean door, boolean held, double seconds) throws Exception {
		KnockKnock knocker = door ? KnockKnock.builder()
			.name("dataSource")
			.door(new io.knocker.autoconfigure.pool.HikariPoolDoors().door(pool))
			.build() : null;
		if (knocker != null) {
			knocker.start();
		}
		LongAdder calls = new LongAdder();
		long end = System.nanoTime() + (long) (seconds * 1e9);
		CountDownLatch done = new CountDownLatch(CLIENTS);
		for (int i = 0; i < CLIENTS; i++) {
			Thread client = new Thread(() -> {
				try {
					while (System.nanoTime() < end) {
						MeasuredCall measured = (knocker != null && MEASURE_CALLS) ? knocker.open() : null;
						try {
							call(pool, held);
						}
						finally {
							if (measured != null) {
								measured.close();
							}
						}
						calls.increment();
					}
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
				finally {
					done.countDown();
				}
			}, "client-" + i);
			client.start();
		}
		long started = System.nanoTime();
		done.await();
		double elapsed = (System.nanoTime() - started) / 1e9;
		if (knocker != null) {
			knocker.close();
		}
		return calls.sum() / elapsed;
	}

	private static void call(HikariDataSource pool, boolean held) throws SQLException {
		try (Connection connection = pool.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT 1")) {
			result.next();
			if (held) {
				LockSupport.parkNanos(1_000_000);
			}
		}
	}

	private static double mean(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
	}

	private static double sd(List<Double> values) {
		double mean = mean(values);
		return Math.sqrt(values.stream().mapToDouble((v) -> (v - mean) * (v - mean)).sum() / (values.size() - 1));
	}

}
