package io.knocker.autoconfigure.pool;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.knocker.KnockKnock;
import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.FailureAnalyses;
import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import io.knocker.autoconfigure.measure.MeasuredMethods;
import io.knocker.autoconfigure.measure.MethodContention;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.datasource.LazyConnectionDataSourceProxy;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.lookup.AbstractRoutingDataSource;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Connection-pool doors on a real HikariCP pool over H2 in memory: a door per pooled
 * {@code DataSource} bean, what it reads exhausted and at rest, and a measured call's own
 * wait against the wait for {@code getConnection()} the call timed itself.
 */
class ConnectionPoolDoorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class));

	@Test
	void aPooledDataSourceIsADoorNamedAfterItsBeanAndNoKnockStartsThePool() {
		this.contextRunner.withBean("dataSource", DataSource.class, () -> pool("rest", 2)).run((context) -> {
			KnockKnock door = context.getBean(Knockers.class).get("dataSource");
			assertThat(door.getDoor().kind()).isEqualTo("connection-pool");
			LockSupport.parkNanos(500_000_000);
			// Hikari starts at the first connection: a knock never asks for one.
			assertThat(context.getBean(HikariDataSource.class).getHikariPoolMXBean()).isNull();
			assertThat(door.snapshot().knocks()).isGreaterThan(10);
			assertThat(door.getContentionMetric()).isZero();
		});
	}

	@Test
	void spring_sWrappersAreUnwrappedToThePoolAndARoutingDataSourceGetsNoDoor() {
		this.contextRunner
			.withBean("lazyDataSource", DataSource.class, () -> new LazyConnectionDataSourceProxy(pool("lazy", 2)))
			.withBean("routingDataSource", DataSource.class, ConnectionPoolDoorTests::routing)
			.withBean("plainDataSource", DataSource.class,
					() -> new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:plain"))
			.run((context) -> {
				Knockers knockers = context.getBean(Knockers.class);
				assertThat(knockers.get("lazyDataSource").getDoor().kind()).isEqualTo("connection-pool");
				assertThat(knockers.asMap()).doesNotContainKeys("routingDataSource", "plainDataSource");
			});
	}

	@Test
	void aRoutingDataSourceBehindAWrapperGetsNoDoorEither() {
		// A read/write split as usually written: lazy connections over the routing.
		// JDBC's
		// unwrap reaches through both to whichever pool the key at startup picks.
		this.contextRunner.withBean("dataSource", DataSource.class, () -> new LazyConnectionDataSourceProxy(routing()))
			.run((context) -> assertThat(context.getBean(Knockers.class).asMap()).doesNotContainKey("dataSource"));
	}

	@Test
	void aPoolBeanAndAWrapperBeanOverItAreOneDoor() {
		HikariDataSource pool = pool("one-door", 2);
		this.contextRunner.withBean("hikari", HikariDataSource.class, () -> pool)
			.withBean("dataSource", DataSource.class, () -> new LazyConnectionDataSourceProxy(pool))
			.run((context) -> {
				java.util.Set<String> doors = new java.util.HashSet<>(context.getBean(Knockers.class).asMap().keySet());
				doors.retainAll(java.util.Set.of("hikari", "dataSource"));
				assertThat(doors).hasSize(1);
			});
	}

	@Test
	void aHikariPoolThatWouldOpenAConnectionForANewcomerReadsFree() throws Exception {
		HikariDataSource pool = pool("would-open", 2);
		// No idle connection kept: the one in use is the pool's only one, and a newcomer
		// would get a second, opened for it.
		pool.setMinimumIdle(0);
		this.contextRunner.withBean("dataSource", DataSource.class, () -> pool)
			.withPropertyValues("knocker.sleeping-interval=0ms")
			.run((context) -> {
				KnockKnock door = context.getBean(Knockers.class).get("dataSource");
				try (Connection held = pool.getConnection()) {
					assertThat(pool.getHikariPoolMXBean().getIdleConnections()).isZero();
					door.resetContentionMetric();
					LockSupport.parkNanos(500_000_000);
					System.out.printf("Hikari, one of two connections in use, none idle: %.3f (%d knocks)%n",
							door.getContentionMetric(), door.snapshot().knocks());
					assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isLessThan(2);
					// Read as taken, it was 1.0.
					assertThat(door.getContentionMetric()).isLessThan(0.05);
				}
			});
	}

	@Test
	void anApplicationAddsAPoolKnockerDoesNotKnowByDeclaringItsConnectionPoolDoors() {
		TinyPool tiny = new TinyPool();
		this.contextRunner.withBean("tinyDataSource", DataSource.class, () -> tiny)
			.withBean(io.knocker.autoconfigure.pool.ConnectionPoolDoors.class,
					() -> new io.knocker.autoconfigure.pool.ConnectionPoolDoors() {

						@Override
						public Object pool(DataSource dataSource) {
							return (dataSource instanceof TinyPool) ? dataSource : null;
						}

						@Override
						public io.knocker.Door door(Object pool) {
							TinyPool found = (TinyPool) pool;
							return io.knocker.Doors.connectionPool(() -> found.idle, () -> 0, null);
						}

					})
			.withPropertyValues("knocker.sleeping-interval=0ms")
			.run((context) -> {
				KnockKnock door = context.getBean(Knockers.class).get("tinyDataSource");
				assertThat(door.getDoor().kind()).isEqualTo("connection-pool");
				LockSupport.parkNanos(200_000_000);
				assertThat(door.getContentionMetric()).isZero();
				tiny.idle = 0;
				door.resetContentionMetric();
				LockSupport.parkNanos(300_000_000);
				assertThat(door.getContentionMetric()).isGreaterThan(0.9);
			});
	}

	/**
	 * A pool of the application's own that Knocker does not know: its counts, made up.
	 */
	static class TinyPool extends SimpleDriverDataSource {

		volatile int idle = 1;

	}

	@Test
	void dataSourceDoorsCanBeTurnedOff() {
		this.contextRunner.withBean("dataSource", DataSource.class, () -> pool("off", 2))
			.withPropertyValues("knocker.auto-doors.data-sources=false")
			.run((context) -> assertThat(context.getBean(Knockers.class).asMap()).doesNotContainKey("dataSource"));
	}

	@Test
	void aConfiguredDoorOnADataSourceThatIsNoPoolFailsStartup() {
		this.contextRunner
			.withBean("plainDataSource", DataSource.class,
					() -> new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:plain"))
			.withPropertyValues("knocker.doors.db.bean=plainDataSource")
			.run((context) -> {
				FailureAnalysis analysis = FailureAnalyses.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("knocker.doors.db.bean")
					.contains(
							"which is neither a pool Knocker can read (HikariCP, Tomcat JDBC, or one Spring Boot's pool "
									+ "metadata knows) nor wraps one");
			});
	}

	@Test
	void anExhaustedPoolReadsHighAndEachCallsWaitedFollowsItsOwnTimingOfGetConnection() throws Exception {
		this.contextRunner.withBean("dataSource", DataSource.class, () -> pool("busy", 2))
			.withBean(Orders.class)
			.run((context) -> {
				Orders orders = context.getBean(Orders.class);
				KnockKnock door = context.getBean(Knockers.class).get("dataSource");
				// Started and filled first: while Hikari starts, the other callers are
				// blocked on the data source's monitor, not waiting in the pool, and no
				// door could tell.
				orders.place();
				org.awaitility.Awaitility.await()
					.until(() -> context.getBean(HikariDataSource.class)
						.getHikariPoolMXBean()
						.getIdleConnections() == 2);
				orders.reset();
				clients(orders, 8, 3_000_000_000L);
				MethodContention place = context.getBean(MeasuredMethods.class).asMap().get("Orders.place");
				double truth = orders.meanWaitedShare();
				System.out.printf(
						"pool of 2, 8 clients: door %.3f, busyRatio %.3f; %d calls, meanWaited %.3f, "
								+ "timed %.3f; total connections %d%n",
						door.getContentionMetric(), door.getBusyRatio(), place.getCalls(), place.getMeanWaited(), truth,
						context.getBean(HikariDataSource.class).getHikariPoolMXBean().getTotalConnections());
				assertThat(door.getContentionMetric()).isGreaterThan(0.5);
				// Eight clients on two connections: three quarters of the time, a call
				// waits. Hikari does not queue fairly (a returning thread often takes its
				// connection back), so the calls' own share of time waited reads lower,
				// and lower still beside two spinning loops, where the clients spend more
				// of each call waiting for a CPU instead. The band only makes sure the
				// calls did wait, so that the comparison below means something.
				assertThat(truth).isBetween(0.15, 0.95);
				assertThat(place.getMeanWaited()).isCloseTo(truth, within(0.1));
				// The knocks never took a connection of their own.
				assertThat(context.getBean(HikariDataSource.class).getHikariPoolMXBean().getTotalConnections())
					.isLessThanOrEqualTo(2);
			});
	}

	@Test
	void hikarisOwnMetersCountOnlyTheApplicationsConnections() throws Exception {
		// Hikari's own meters, as Spring Boot binds them: with the door knocking all the
		// time on an exhausted pool, every acquisition Hikari counts is one of the
		// application's calls, and its usage timer likewise.
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		this.contextRunner.withBean("dataSource", DataSource.class, () -> {
			HikariDataSource pool = pool("metered", 2);
			pool.setMetricRegistry(meters);
			return pool;
		}).withBean(Orders.class).withPropertyValues("knocker.sleeping-interval=0ms").run((context) -> {
			Orders orders = context.getBean(Orders.class);
			// Started and filled first, so that the clients' second is all calls.
			orders.place();
			org.awaitility.Awaitility.await()
				.until(() -> context.getBean(HikariDataSource.class).getHikariPoolMXBean().getIdleConnections() == 2);
			clients(orders, 6, 1_000_000_000L);
			KnockKnock door = context.getBean(Knockers.class).get("dataSource");
			long acquired = meters.get("hikaricp.connections.acquire").timer().count();
			long used = meters.get("hikaricp.connections.usage").timer().count();
			System.out.printf("Hikari's meters: %d acquisitions, %d usages; %d calls; %d knocks%n", acquired, used,
					orders.calls(), door.snapshot().knocks());
			assertThat(door.snapshot().knocks()).isGreaterThan(100);
			assertThat(acquired).isEqualTo(orders.calls());
			assertThat(used).isEqualTo(orders.calls());
		});
	}

	@Test
	void aRoomyPoolReadsLowUnderLoadAndFreeAtRest() throws Exception {
		this.contextRunner.withBean("dataSource", DataSource.class, () -> pool("roomy", 10))
			.withBean(Orders.class)
			.run((context) -> {
				Orders orders = context.getBean(Orders.class);
				KnockKnock door = context.getBean(Knockers.class).get("dataSource");
				// Started and filled first: Hikari opens its ten connections in the
				// background, and the first calls wait for them.
				orders.place();
				org.awaitility.Awaitility.await()
					.until(() -> context.getBean(HikariDataSource.class)
						.getHikariPoolMXBean()
						.getIdleConnections() == 10);
				door.resetContentionMetric();
				ExecutorService clients = Executors.newFixedThreadPool(2);
				try {
					long end = System.nanoTime() + 1_500_000_000L;
					Future<?> a = clients.submit(() -> repeat(orders, end));
					Future<?> b = clients.submit(() -> repeat(orders, end));
					a.get();
					b.get();
				}
				finally {
					clients.shutdownNow();
				}
				double loaded = door.getContentionMetric();
				door.resetContentionMetric();
				LockSupport.parkNanos(1_000_000_000);
				System.out.printf("pool of 10, 2 clients: %.4f; at rest %.4f%n", loaded, door.getContentionMetric());
				assertThat(loaded).isLessThan(0.1);
				assertThat(door.getContentionMetric()).isLessThan(0.05);
			});
	}

	@Test
	void aDatabaseThatGoesAwayAndComesBackNeverBreaksTheDoor() throws Exception {
		int port;
		try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
			port = free.getLocalPort();
		}
		// The database in a process of its own, so that it can go away as a real one
		// does.
		Process server = h2Server(port);
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:h2:tcp://localhost:" + port + "/mem:away;DB_CLOSE_DELAY=-1");
		pool.setMaximumPoolSize(2);
		pool.setConnectionTimeout(1000);
		pool.setInitializationFailTimeout(-1);
		try {
			this.contextRunner.withBean("dataSource", DataSource.class, () -> pool).run((context) -> {
				KnockKnock door = context.getBean(Knockers.class).get("dataSource");
				// Up: the first connection to a new server can take more than a second on
				// a busy machine.
				awaitConnection(pool);
				server.destroyForcibly().waitFor();
				// The application's own calls now fail or wait; the knocks read the
				// pool's counts only, so they go on and never fail.
				ExecutorService clients = Executors.newFixedThreadPool(2);
				try {
					for (int i = 0; i < 2; i++) {
						clients.submit(() -> {
							long end = System.nanoTime() + 1_500_000_000L;
							while (System.nanoTime() < end) {
								try (Connection connection = pool.getConnection()) {
									connection.isValid(1);
								}
								catch (SQLException ex) {
									// Down: as expected.
								}
							}
						});
					}
					LockSupport.parkNanos(1_500_000_000L);
				}
				finally {
					clients.shutdownNow();
				}
				long knocks = door.snapshot().knocks();
				assertThat(door.isRunning()).isTrue();
				assertThat(door.getFailedKnocks()).isZero();
				Process back = h2Server(port);
				// H2 reports its lost connections with a state Hikari does not take for a
				// broken connection (90121, not 08xxx): the test evicts them, as Hikari's
				// max lifetime would in time.
				pool.getHikariPoolMXBean().softEvictConnections();
				try {
					awaitConnection(pool);
					door.resetContentionMetric();
					LockSupport.parkNanos(1_000_000_000L);
					System.out.printf("database back: %d knocks since it went away, at rest %.4f%n",
							door.snapshot().knocks() - knocks, door.getContentionMetric());
					assertThat(door.snapshot().knocks()).isGreaterThan(knocks);
					assertThat(door.getContentionMetric()).isLessThan(0.05);
				}
				finally {
					back.destroyForcibly().waitFor();
				}
			});
		}
		finally {
			pool.close();
			server.destroyForcibly().waitFor();
		}
	}

	@Test
	void tomcatJdbcAndDbcp2PoolsAreDoorsAndNoKnockStartsOrOpensAnything() {
		org.apache.tomcat.jdbc.pool.DataSource tomcat = tomcatJdbc("tomcat-rest");
		org.apache.commons.dbcp2.BasicDataSource dbcp2 = dbcp2("dbcp2-rest");
		this.contextRunner.withConfiguration(AutoConfigurations.of(dataSourceAutoConfiguration()))
			.withBean("tomcatDataSource", DataSource.class, () -> tomcat)
			.withBean("dbcp2DataSource", DataSource.class, () -> new LazyConnectionDataSourceProxy(dbcp2))
			.run((context) -> {
				Knockers knockers = context.getBean(Knockers.class);
				KnockKnock tomcatDoor = knockers.get("tomcatDataSource");
				KnockKnock dbcp2Door = knockers.get("dbcp2DataSource");
				assertThat(tomcatDoor.getDoor().kind()).isEqualTo("connection-pool");
				assertThat(dbcp2Door.getDoor().kind()).isEqualTo("connection-pool");
				LockSupport.parkNanos(500_000_000);
				assertThat(tomcatDoor.snapshot().knocks()).isGreaterThan(10);
				assertThat(dbcp2Door.snapshot().knocks()).isGreaterThan(10);
				assertThat(tomcatDoor.getContentionMetric()).isZero();
				assertThat(dbcp2Door.getContentionMetric()).isZero();
				// Tomcat's data source creates its pool, opening connections, when asked
				// for anything of it, getPool() included: read its field.
				assertThat(ReflectionTestUtils.getField(tomcat, "pool")).isNull();
				// The databases' own word: no session but the test's own.
				assertThat(sessions("jdbc:h2:mem:tomcat-rest")).isOne();
				assertThat(sessions("jdbc:h2:mem:dbcp2-rest")).isOne();
			});
	}

	@Test
	void aTomcatJdbcPoolWhosePoolFieldCannotBeReadGetsNoDoorAndIsNotStarted() {
		org.apache.tomcat.jdbc.pool.DataSource tomcat = tomcatJdbc("tomcat-no-field");
		this.contextRunner.withConfiguration(AutoConfigurations.of(dataSourceAutoConfiguration()))
			.withBean("tomcatDataSource", DataSource.class, () -> tomcat)
			.run((context) -> {
				// The kinds as Knocker has them, Tomcat JDBC's without its field: Spring
				// Boot's metadata, asked next, would start the pool with its first count.
				List<ConnectionPoolDoors> kinds = new ArrayList<>(
						context.getBeanProvider(ConnectionPoolDoors.class).orderedStream().toList());
				assertThat(kinds).hasExactlyElementsOfTypes(HikariPoolDoors.class, TomcatJdbcPoolDoors.class,
						MetadataPoolDoors.class);
				kinds.set(1, new TomcatJdbcPoolDoors(null));
				DataSourcePools.Found found = new DataSourcePools(kinds).find(tomcat);
				assertThat(found).isNotNull();
				assertThat(found.door()).isNull();
				assertThat(ReflectionTestUtils.getField(tomcat, "pool")).isNull();
				assertThat(sessions("jdbc:h2:mem:tomcat-no-field")).isOne();
			});
	}

	@Test
	void withoutSpringBootsPoolMetadataADbcp2PoolGetsNoDoor() {
		org.apache.commons.dbcp2.BasicDataSource dbcp2 = new org.apache.commons.dbcp2.BasicDataSource();
		dbcp2.setUrl("jdbc:h2:mem:dbcp2-bare");
		this.contextRunner.withBean("dbcp2DataSource", DataSource.class, () -> dbcp2)
			.run((context) -> assertThat(context.getBean(Knockers.class).asMap()).doesNotContainKey("dbcp2DataSource"));
	}

	@Test
	void exhaustedTomcatJdbcAndDbcp2PoolsReadHighWithNoWaitedFigure() throws Exception {
		org.apache.tomcat.jdbc.pool.DataSource tomcat = tomcatJdbc("tomcat-busy");
		org.apache.commons.dbcp2.BasicDataSource dbcp2 = dbcp2("dbcp2-busy");
		for (DataSource pool : List.<DataSource>of(tomcat, dbcp2)) {
			this.contextRunner.withConfiguration(AutoConfigurations.of(dataSourceAutoConfiguration()))
				.withBean("dataSource", DataSource.class, () -> pool)
				.withBean(Orders.class)
				.run((context) -> {
					Orders orders = context.getBean(Orders.class);
					KnockKnock door = context.getBean(Knockers.class).get("dataSource");
					clients(orders, 8, 2_000_000_000L);
					double busy = door.getContentionMetric();
					MethodContention place = context.getBean(MeasuredMethods.class).asMap().get("Orders.place");
					// The knock under way when the clients stopped gets through at the
					// waiter's
					// next poll, later on a busy machine (7 ms seen in CI): at rest
					// starts after it.
					LockSupport.parkNanos(200_000_000);
					door.resetContentionMetric();
					LockSupport.parkNanos(1_500_000_000);
					System.out.printf("%s, pool of 2, 8 clients: door %.3f (calls timed %.3f waiting); at rest %.4f%n",
							pool.getClass().getSimpleName(), busy, orders.meanWaitedShare(),
							door.getContentionMetric());
					// Eight clients on two connections wait most of the time.
					assertThat(busy).isGreaterThan(0.5);
					assertThat(door.getContentionMetric()).isLessThan(0.05);
					// The pool cannot tell which thread waits: absent, never 0.
					assertThat(place.getCalls()).isPositive();
					assertThat(place.getMeanWaited()).isNull();
				});
		}
		tomcat.close();
		dbcp2.close();
	}

	@Test
	void aPoolDescribedByTheApplicationsOwnMetadataProviderIsReadFromItsCounts() {
		// A pool Knocker has never heard of, described only by the application's own
		// DataSourcePoolMetadataProvider bean, as Spring Boot's actuator reads it.
		DataSource pool = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:own");
		// Idle, active, max: read on the knock loop.
		java.util.concurrent.atomic.AtomicIntegerArray counts = new java.util.concurrent.atomic.AtomicIntegerArray(
				new int[] { 0, 2, 2 });
		DataSourcePoolMetadataProvider provider = (dataSource) -> (dataSource != pool) ? null
				: new DataSourcePoolMetadata() {

					@Override
					public Integer getIdle() {
						return counts.get(0);
					}

					@Override
					public Integer getActive() {
						return counts.get(1);
					}

					@Override
					public Integer getMax() {
						return counts.get(2);
					}

					@Override
					public Integer getMin() {
						return 0;
					}

					@Override
					public Float getUsage() {
						return null;
					}

					@Override
					public String getValidationQuery() {
						return null;
					}

					@Override
					public Boolean getDefaultAutoCommit() {
						return null;
					}

				};
		this.contextRunner.withBean("ownPool", DataSource.class, () -> pool)
			.withBean(DataSourcePoolMetadataProvider.class, () -> provider)
			.withPropertyValues("knocker.sleeping-interval=0ms")
			.run((context) -> {
				KnockKnock door = context.getBean(Knockers.class).get("ownPool");
				assertThat(door.getDoor().kind()).isEqualTo("connection-pool");
				// Both connections in use, none idle, no room to open another.
				LockSupport.parkNanos(300_000_000);
				double exhausted = door.getContentionMetric();
				// One idle.
				counts.set(0, 1);
				LockSupport.parkNanos(20_000_000);
				door.resetContentionMetric();
				LockSupport.parkNanos(300_000_000);
				double oneIdle = door.getContentionMetric();
				// None idle, but no limit on how many the pool opens.
				counts.set(0, 0);
				counts.set(2, -1);
				LockSupport.parkNanos(20_000_000);
				door.resetContentionMetric();
				LockSupport.parkNanos(300_000_000);
				double unlimited = door.getContentionMetric();
				System.out.printf("own metadata: exhausted %.3f, one idle %.4f, unlimited %.4f%n", exhausted, oneIdle,
						unlimited);
				assertThat(exhausted).isGreaterThan(0.9);
				assertThat(oneIdle).isLessThan(0.05);
				assertThat(unlimited).isLessThan(0.05);
			});
	}

	/** Sessions open on an in-memory H2 database, the one asking included. */
	private static int sessions(String url) throws SQLException {
		try (Connection connection = java.sql.DriverManager.getConnection(url);
				java.sql.ResultSet count = connection.createStatement()
					.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
			count.next();
			return count.getInt(1);
		}
	}

	/** Spring Boot's data source auto-configuration, which defines the pool metadata. */
	private static Class<?> dataSourceAutoConfiguration() {
		String boot4 = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";
		return ClassUtils.resolveClassName(ClassUtils.isPresent(boot4, null) ? boot4
				: "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration", null);
	}

	private static void awaitConnection(DataSource pool) {
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
			try (Connection connection = pool.getConnection()) {
				return connection.isValid(1);
			}
			catch (SQLException ex) {
				return false;
			}
		});
	}

	/** H2's TCP server in a JVM of its own, accepting connections on the port. */
	private static Process h2Server(int port) throws Exception {
		String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		String h2 = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		Process process = new ProcessBuilder(launcher, "-cp", h2, "org.h2.tools.Server", "-tcp", "-tcpPort",
				Integer.toString(port), "-ifNotExists")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
			try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
				return true;
			}
			catch (java.io.IOException ex) {
				return false;
			}
		});
		return process;
	}

	/** {@code count} clients placing orders back to back for {@code nanos}. */
	private static void clients(Orders orders, int count, long nanos) throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(count);
		try {
			List<Future<?>> running = new ArrayList<>();
			long end = System.nanoTime() + nanos;
			for (int i = 0; i < count; i++) {
				running.add(clients.submit(() -> repeat(orders, end)));
			}
			for (Future<?> client : running) {
				client.get();
			}
		}
		finally {
			clients.shutdownNow();
		}
	}

	private static void repeat(Orders orders, long end) {
		while (System.nanoTime() < end) {
			orders.place();
		}
	}

	private static HikariDataSource pool(String name, int size) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
		pool.setMaximumPoolSize(size);
		pool.setMinimumIdle(size);
		pool.setPoolName(name);
		return pool;
	}

	/** A Tomcat JDBC pool of two connections, not started. */
	private static org.apache.tomcat.jdbc.pool.DataSource tomcatJdbc(String name) {
		org.apache.tomcat.jdbc.pool.DataSource pool = new org.apache.tomcat.jdbc.pool.DataSource();
		pool.setUrl("jdbc:h2:mem:" + name);
		pool.setMaxActive(2);
		pool.setMaxIdle(2);
		pool.setInitialSize(2);
		return pool;
	}

	/** A DBCP2 pool of two connections, not started. */
	private static org.apache.commons.dbcp2.BasicDataSource dbcp2(String name) {
		org.apache.commons.dbcp2.BasicDataSource pool = new org.apache.commons.dbcp2.BasicDataSource();
		pool.setUrl("jdbc:h2:mem:" + name);
		pool.setMaxTotal(2);
		return pool;
	}

	private static DataSource routing() {
		AbstractRoutingDataSource routing = new AbstractRoutingDataSource() {
			@Override
			protected Object determineCurrentLookupKey() {
				return "a";
			}
		};
		routing.setTargetDataSources(java.util.Map.of("a", pool("route-a", 1), "b", pool("route-b", 1)));
		routing.afterPropertiesSet();
		return routing;
	}

	static class Orders {

		private final DataSource dataSource;

		private final LongAdder waitedNanos = new LongAdder();

		private final LongAdder callNanos = new LongAdder();

		private final AtomicLong calls = new AtomicLong();

		Orders(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		/** Holds a connection for 20 ms, timing its own wait for it. */
		@KnockMeasured(door = "dataSource")
		public void place() {
			long start = System.nanoTime();
			try (Connection connection = this.dataSource.getConnection()) {
				long got = System.nanoTime();
				LockSupport.parkNanos(20_000_000);
				long end = System.nanoTime();
				this.waitedNanos.add(got - start);
				this.callNanos.add(end - start);
				this.calls.incrementAndGet();
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		long calls() {
			return this.calls.get();
		}

		void reset() {
			this.calls.set(0);
			this.waitedNanos.reset();
			this.callNanos.reset();
		}

		/**
		 * The share of the calls' time they waited: time-weighted, as Knocker's figure.
		 */
		double meanWaitedShare() {
			return (double) this.waitedNanos.sum() / Math.max(1, this.callNanos.sum());
		}

	}

}
