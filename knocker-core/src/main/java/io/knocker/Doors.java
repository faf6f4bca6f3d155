package io.knocker;

import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

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
	 * A lock: high when threads queue for it.
	 * @param lock the lock to knock on
	 * @return a new lock door
	 */
	public static Door lock(Lock lock) {
		return new LockDoor(required(lock, "lock"));
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
	 * An executor: high when its queue is backed up.
	 * @param executor the executor to knock on
	 * @return a new executor door
	 */
	public static Door executor(Executor executor) {
		return new ExecutorDoor(required(executor, "executor"));
	}

	private static <T> T required(T value, String name) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must not be null");
		}
		return value;
	}

}
