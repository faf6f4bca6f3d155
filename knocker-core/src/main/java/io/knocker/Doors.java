package io.knocker;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The doors a {@link KnockKnock} can knock on. Each call makes a new door: one per
 * knocker.
 */
public final class Doors {

	private Doors() {
	}

	/**
	 * The JVM itself: high when stop-the-world pauses or CPU starvation keep ready
	 * threads from running.
	 * @return a new JVM door
	 */
	public static Door jvm() {
		return new JvmDoor();
	}

	/**
	 * The JVM's stop-the-world pause time so far, in nanoseconds: its collectors' own
	 * record (their pause beans; never a concurrent collector's cycles), as the JVM door
	 * counts it. A difference of two readings is the pause time in between, exact to the
	 * millisecond its beans keep; a pause counts once it has ended.
	 * @return the pause time so far
	 */
	public static long gcPauseNanos() {
		return GcPauses.THIS_JVM.nanos();
	}

	/**
	 * The current thread's wait for a core so far, in nanoseconds: the time it spent
	 * runnable but not running, as the kernel counts it
	 * ({@code /proc/thread-self/schedstat}, Linux). A difference of two readings on the
	 * same thread is its wait in between. About 2 µs a read, allocation-free after the
	 * thread's first.
	 * @return the wait so far, or -1 where the kernel keeps no count (macOS, Windows) and
	 * on a virtual thread (its carrier's count is not its own)
	 */
	public static long runQueueNanos() {
		return RunQueue.nanos();
	}

	/**
	 * Whether the kernel counts threads' waits for a core here, for
	 * {@link #runQueueNanos()} (Linux), whichever thread asks.
	 * @return whether it does
	 */
	public static boolean runQueueCounted() {
		return RunQueue.AVAILABLE;
	}

	/**
	 * A lock: high when threads queue for it.
	 * @param lock the lock to knock on
	 * @return a new lock door
	 */
	public static Door lock(Lock lock) {
		return new LockDoor("lock", required(lock, "lock"));
	}

	/**
	 * A read-write lock, knocked on as a reader would: {@code readLock().tryLock()}, else
	 * {@code readLock().lockInterruptibly()}, then {@code unlock()}. High when writers
	 * hold it or queue for it; a knock never blocks the application's readers, and holds
	 * the read lock for nanoseconds when it gets it.
	 * @param lock the read-write lock to knock on
	 * @return a new read-write lock door, of kind {@code read-write-lock}
	 */
	public static Door readWriteLock(ReadWriteLock lock) {
		return new LockDoor("read-write-lock", required(lock, "lock").readLock());
	}

	/**
	 * An object's monitor, as taken by {@code synchronized}: high when threads queue for
	 * it.
	 * @param monitor the object whose monitor to knock on
	 * @return a new monitor door
	 */
	public static Door monitor(Object monitor) {
		return new MonitorDoor(required(monitor, "monitor"));
	}

	/**
	 * A semaphore: high when its permits (a pool) are exhausted.
	 * @param semaphore the semaphore to knock on
	 * @return a new semaphore door
	 */
	public static Door semaphore(Semaphore semaphore) {
		return new SemaphoreDoor(required(semaphore, "semaphore"));
	}

	/**
	 * An executor: high when its queue is backed up. A knock hands it a no-op and times
	 * until it starts; a {@link java.util.concurrent.ThreadPoolExecutor} that would start
	 * a task at once (below its core size, or with nothing queued and a worker idle) is
	 * handed nothing and reads free, so an idle pool is never woken.
	 * @param executor the executor to knock on
	 * @return a new executor door
	 */
	public static Door executor(Executor executor) {
		return new ExecutorDoor(required(executor, "executor"));
	}

	/**
	 * An executor the JDK cannot look into (Tomcat's or Jetty's pool, say), with a look
	 * of its own: while {@code startsAtOnce} is true (a worker idle and nothing queued),
	 * a knock gets straight through and the pool is handed nothing; otherwise the knock
	 * is as {@link #executor(Executor)}'s.
	 * @param executor the executor to knock on
	 * @param startsAtOnce whether a task handed over now would start at once; called on
	 * the knock loop before each knock, it must be cheap and must not block
	 * @return a new executor door
	 */
	public static Door executor(Executor executor, BooleanSupplier startsAtOnce) {
		return new ExecutorDoor("executor", required(executor, "executor"), required(startsAtOnce, "startsAtOnce"),
				null);
	}

	/**
	 * An executor as {@link #executor(Executor, BooleanSupplier)}, that also says how
	 * many tasks it runs at once, its {@link Door#capacity()}.
	 * @param executor the executor to knock on
	 * @param startsAtOnce whether a task handed over now would start at once
	 * @param capacity the most tasks it runs at once (Tomcat's pool:
	 * {@code getMaximumPoolSize}); read only when advice is asked for
	 * @return a new executor door
	 */
	public static Door executor(Executor executor, BooleanSupplier startsAtOnce, IntSupplier capacity) {
		return new ExecutorDoor("executor", required(executor, "executor"), required(startsAtOnce, "startsAtOnce"),
				required(capacity, "capacity"));
	}

	/**
	 * A connection pool, read from its own counts: a knock never takes a connection from
	 * the application and never opens one. It gets straight through when a connection is
	 * idle and no thread waits for one; otherwise it waits until a newcomer would get
	 * one, looking again every polling interval. High when requests queue for a
	 * connection.
	 * @param idle the pool's idle connections now (HikariCP:
	 * {@code HikariPoolMXBean::getIdleConnections})
	 * @param waiting the threads waiting for a connection now
	 * ({@code HikariPoolMXBean::getThreadsAwaitingConnection})
	 * @param check whether a given thread is waiting in the pool for a connection, for
	 * the calls' own wait ({@link MeasuredCall#waited()}); {@code null} if it cannot be
	 * told
	 * @return a new door of kind {@code connection-pool}
	 */
	public static Door connectionPool(IntSupplier idle, IntSupplier waiting, Door.WaitingCheck check) {
		return new PoolDoor(required(idle, "idle"), required(waiting, "waiting"), check, null);
	}

	/**
	 * A connection pool, as
	 * {@link #connectionPool(IntSupplier, IntSupplier, Door.WaitingCheck)}, that also
	 * says the most connections it opens, its {@link Door#capacity()}.
	 * @param idle the pool's idle connections now
	 * @param waiting the threads waiting for a connection now
	 * @param check whether a given thread is waiting in the pool for a connection;
	 * {@code null} if it cannot be told
	 * @param capacity the most connections the pool opens (HikariCP:
	 * {@code getMaximumPoolSize}); read only when advice is asked for
	 * @return a new door of kind {@code connection-pool}
	 */
	public static Door connectionPool(IntSupplier idle, IntSupplier waiting, Door.WaitingCheck check,
			IntSupplier capacity) {
		return new PoolDoor(required(idle, "idle"), required(waiting, "waiting"), check,
				required(capacity, "capacity"));
	}

	/**
	 * The JDK's virtual-thread scheduler (JDK 21 and later): a knock starts a virtual
	 * thread that does nothing and waits until it runs. High when the carrier threads are
	 * all busy or pinned, so that ready virtual threads wait for one.
	 * @return a new door of kind {@code virtual-threads}
	 * @throws UnsupportedOperationException on a JDK without virtual threads
	 */
	public static Door virtualThreads() {
		Executor perTask;
		try {
			// Reached reflectively: Knocker is built for Java 17.
			perTask = (Executor) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
		}
		catch (NoSuchMethodException ex) {
			throw new UnsupportedOperationException(
					"Virtual threads need JDK 21 or later; this is " + Runtime.version());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("Could not make a virtual-thread executor", ex);
		}
		// The first virtual thread starts the scheduler, milliseconds once: not a knock's
		// wait.
		perTask.execute(() -> {
		});
		return new ExecutorDoor("virtual-threads", perTask, null, null);
	}

	/**
	 * Whether this JDK has virtual threads, so that {@link #virtualThreads()} works.
	 * @return whether it is JDK 21 or later
	 */
	public static boolean hasVirtualThreads() {
		return Runtime.version().feature() >= 21;
	}

	private static <T> T required(T value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
		return value;
	}

}
