package io.knocker;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Measures contention on a {@link Door}, as gilknocker does for Python's GIL: a daemon thread
 * knocks on the door every polling interval for a sampling window, sleeps, and starts over. The
 * contention metric is the time the knocks waited over the time sampled, from 0 (the door was
 * always free) to 1 (it was never free), since start or the last reset.
 *
 * <pre>{@code
 * KnockKnock knocker = KnockKnock.builder().door(Doors.lock(lock)).build();
 * knocker.start();
 * ...
 * double contention = knocker.getContentionMetric();
 * knocker.stop();
 * }</pre>
 *
 * The knocker is safe to use from any thread. Its knock loop allocates nothing in steady state
 * (beyond what the door itself allocates to wait, such as a lock's queue node).
 */
public final class KnockKnock implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(KnockKnock.class.getName());

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	private final String name;

	private final Door door;

	private final Duration pollingInterval;

	private final Duration samplingInterval;

	private final Duration sleepingInterval;

	private final Duration timeout;

	private final Ledger ledger = new Ledger();

	private final AtomicInteger openWindows = new AtomicInteger();

	private final Object lifecycleMonitor = new Object();

	private volatile Thread thread;

	private long threadGeneration;

	private volatile boolean sleeping;

	private volatile KnockSnapshot resetPoint = KnockSnapshot.ZERO;

	private volatile boolean failureLogged;

	private KnockKnock(String name, Door door, Duration polling, Duration sampling, Duration sleeping,
			Duration timeout) {
		this.name = name;
		this.door = door;
		this.pollingInterval = polling;
		this.samplingInterval = Builder.positive("samplingInterval",
				(sampling != null) ? sampling : polling.multipliedBy(10));
		if (this.samplingInterval.compareTo(polling) < 0) {
			throw new InvalidSettingException("samplingInterval", this.samplingInterval,
					"be at least pollingInterval (" + polling + ")");
		}
		this.sleepingInterval = Builder.positive("sleepingInterval",
				(sleeping != null) ? sleeping : polling.multipliedBy(100));
		Duration longer = (this.samplingInterval.compareTo(this.sleepingInterval) >= 0) ? this.samplingInterval
				: this.sleepingInterval;
		this.timeout = Builder.positive("timeout", (timeout != null) ? timeout : longer.plusMillis(1));
	}

	/**
	 * A builder with gilknocker's defaults: the JVM door, polling every millisecond, sampling for
	 * ten polling intervals, sleeping for a hundred.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts knocking, on a daemon thread named {@code knocker-<name>}. Does nothing if running.
	 */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.thread != null) {
				return;
			}
			long generation = this.ledger.generation();
			Thread thread = new Thread(() -> run(generation), "knocker-" + this.name);
			thread.setDaemon(true);
			this.threadGeneration = generation;
			this.thread = thread;
			thread.start();
		}
	}

	/**
	 * Stops knocking and waits for the knock loop to end, at most the timeout; past it, logs a
	 * warning and returns (a knock stuck on a monitor cannot be interrupted). The metric keeps its
	 * value. Does nothing if not running.
	 */
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			Thread thread = this.thread;
			if (thread == null) {
				return;
			}
			this.thread = null;
			thread.interrupt();
			try {
				thread.join(Math.max(1, this.timeout.toMillis()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (thread.isAlive()) {
				logger.log(Level.WARNING, () -> "Knocker '" + this.name + "' did not stop within " + this.timeout
						+ "; its thread is still waiting on the " + this.door + " and will end when it gets through");
			}
			// Freezes the counters even if the thread is stuck.
			this.ledger.retire(this.threadGeneration);
		}
	}

	/**
	 * Same as {@link #stop()}.
	 */
	@Override
	public void close() {
		stop();
	}

	/**
	 * Whether the knocker has been started and not stopped since.
	 * @return whether it is running
	 */
	public boolean isRunning() {
		return this.thread != null;
	}

	/**
	 * The time knocks waited over the time sampled, since start or the last reset, from 0 to 1.
	 * @return the contention metric
	 */
	public double getContentionMetric() {
		return snapshot().contentionSince(this.resetPoint);
	}

	/**
	 * The contention over the last complete sampling window, from 0 to 1.
	 * @return the recent contention metric
	 */
	public double getRecentContentionMetric() {
		return this.ledger.lastWindowContention();
	}

	/**
	 * The share of knocks since start or the last reset that could not get through at once; with
	 * knocks spaced at random, an estimate of how much of the time the door was taken.
	 * @return the busy ratio, from 0 to 1
	 */
	public double getBusyRatio() {
		return snapshot().busyRatioSince(this.resetPoint);
	}

	/**
	 * Knocks that threw instead of getting through (for example an executor that rejected the
	 * knock); the knocker carries on and logs the first.
	 * @return the number of failed knocks since the knocker was built
	 */
	public long getFailedKnocks() {
		return this.ledger.failedKnocks();
	}

	/**
	 * Starts the contention metric and busy ratio over from now. The snapshot counters go on.
	 */
	public void resetContentionMetric() {
		this.resetPoint = snapshot();
	}

	/**
	 * The monotonic counters now, a knock still waiting and the window still open included.
	 * @return a snapshot of the counters
	 */
	public KnockSnapshot snapshot() {
		return this.ledger.snapshot();
	}

	/**
	 * Opens a private window on this knocker's contention; until the last open window closes, the
	 * knocker samples without its sleeping gap.
	 * @return the open window, to close when the measured stretch ends
	 */
	public KnockWindow open() {
		KnockSnapshot opened = snapshot();
		if (this.openWindows.getAndIncrement() == 0 && this.sleeping) {
			LockSupport.unpark(this.thread);
		}
		return new KnockWindow(this, opened);
	}

	void windowClosed() {
		this.openWindows.decrementAndGet();
	}

	/**
	 * How many windows are open now.
	 * @return the number of open windows
	 */
	public int getOpenWindows() {
		return this.openWindows.get();
	}

	/**
	 * The knocker's name, such as {@code jvm} or {@code inventory-lock}.
	 * @return the name
	 */
	public String getName() {
		return this.name;
	}

	/**
	 * The door knocked on.
	 * @return the door
	 */
	public Door getDoor() {
		return this.door;
	}

	/**
	 * The time between knocks (on average, for doors other than the JVM's).
	 * @return the polling interval
	 */
	public Duration getPollingInterval() {
		return this.pollingInterval;
	}

	/**
	 * How long each sampling window lasts.
	 * @return the sampling interval
	 */
	public Duration getSamplingInterval() {
		return this.samplingInterval;
	}

	/**
	 * How long the knocker sleeps between sampling windows.
	 * @return the sleeping interval
	 */
	public Duration getSleepingInterval() {
		return this.sleepingInterval;
	}

	/**
	 * How long {@link #stop()} waits for the knock loop to end.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	@Override
	public String toString() {
		return "KnockKnock[" + this.name + " on the " + this.door + ", polling " + this.pollingInterval + "]";
	}

	private void run(long generation) {
		try {
			knockUntilStopped(generation);
		}
		catch (InterruptedException ex) {
			// stop() asked us to end.
		}
		finally {
			this.ledger.retire(generation);
		}
	}

	private void knockUntilStopped(long generation) throws InterruptedException {
		Door door = this.door;
		long polling = this.pollingInterval.toNanos();
		long sampling = this.samplingInterval.toNanos();
		boolean continuous = door.knockIsSleep();
		Door.Knock knock = new Door.Knock() {
			@Override
			public long pollingNanos() {
				return polling;
			}

			@Override
			public void busySince(long nanoTime) {
				KnockKnock.this.ledger.busySince(generation, nanoTime, door.busyThresholdNanos());
			}
		};
		if (!this.ledger.beginWindow(generation)) {
			return;
		}
		while (true) {
			long now = System.nanoTime();
			long windowEnd = now + sampling;
			long nextKnock = now;
			while (now < windowEnd) {
				if (!continuous && nextKnock > now) {
					pause(Math.min(nextKnock, windowEnd) - now);
					now = System.nanoTime();
					if (now >= windowEnd) {
						break;
					}
				}
				boolean failed = false;
				boolean straightThrough;
				try {
					straightThrough = door.knock(knock);
				}
				catch (RuntimeException | Error ex) {
					logFirstFailure(ex);
					failed = true;
					straightThrough = false;
				}
				now = System.nanoTime();
				int missed = 0;
				if (!continuous) {
					// Knocks come at random (Poisson) moments, whatever the door does, so that
					// busy knocks over all knocks estimates the share of time the door is taken.
					nextKnock += nextGap(polling);
					while (nextKnock <= now) {
						missed++;
						nextKnock += nextGap(polling);
					}
				}
				if (!this.ledger.knocked(generation, straightThrough, missed, failed)) {
					return;
				}
			}
			boolean sleep = !continuous && this.openWindows.get() == 0;
			if (!this.ledger.endWindow(generation, !sleep)) {
				return;
			}
			if (sleep) {
				sleepUnlessWindowOpens(this.sleepingInterval.toNanos());
				if (!this.ledger.beginWindow(generation)) {
					return;
				}
			}
		}
	}

	private void logFirstFailure(Throwable ex) {
		if (!this.failureLogged) {
			this.failureLogged = true;
			logger.log(Level.WARNING, "Knocker '" + this.name + "' failed to knock on the " + this.door
					+ "; it carries on and counts failed knocks", ex);
		}
	}

	private static long nextGap(long meanNanos) {
		return (long) (-Math.log(1.0 - ThreadLocalRandom.current().nextDouble()) * meanNanos);
	}

	private static void pause(long nanos) throws InterruptedException {
		long deadline = System.nanoTime() + nanos;
		long left;
		while ((left = deadline - System.nanoTime()) > 0) {
			LockSupport.parkNanos(left);
			if (Thread.interrupted()) {
				throw new InterruptedException();
			}
		}
	}

	private void sleepUnlessWindowOpens(long nanos) throws InterruptedException {
		// Announce the sleep before checking for windows, so that open() either sees it or is seen.
		this.sleeping = true;
		try {
			long deadline = System.nanoTime() + nanos;
			long left;
			while (this.openWindows.get() == 0 && (left = deadline - System.nanoTime()) > 0) {
				LockSupport.parkNanos(left);
				if (Thread.interrupted()) {
					throw new InterruptedException();
				}
			}
		}
		finally {
			this.sleeping = false;
		}
	}

	/** Builds a {@link KnockKnock}; unset intervals default as in gilknocker. */
	public static final class Builder {

		private String name = "jvm";

		private Door door = Doors.jvm();

		private Duration pollingInterval = Duration.ofMillis(1);

		private Duration samplingInterval;

		private Duration sleepingInterval;

		private Duration timeout;

		private Builder() {
		}

		/**
		 * Names the knocker, for its thread, meters and endpoint; letters, digits, '.', '_', '-'.
		 * @param name the name, {@code jvm} by default
		 * @return this builder
		 */
		public Builder name(String name) {
			this.name = name;
			return this;
		}

		/**
		 * Sets the door to knock on.
		 * @param door the door, {@link Doors#jvm()} by default
		 * @return this builder
		 */
		public Builder door(Door door) {
			this.door = door;
			return this;
		}

		/**
		 * Sets the time between knocks.
		 * @param pollingInterval the polling interval, 1 ms by default
		 * @return this builder
		 */
		public Builder pollingInterval(Duration pollingInterval) {
			this.pollingInterval = pollingInterval;
			return this;
		}

		/**
		 * Sets how long each sampling window lasts.
		 * @param samplingInterval the sampling interval, 10 polling intervals by default
		 * @return this builder
		 */
		public Builder samplingInterval(Duration samplingInterval) {
			this.samplingInterval = samplingInterval;
			return this;
		}

		/**
		 * Sets how long to sleep between sampling windows.
		 * @param sleepingInterval the sleeping interval, 100 polling intervals by default
		 * @return this builder
		 */
		public Builder sleepingInterval(Duration sleepingInterval) {
			this.sleepingInterval = sleepingInterval;
			return this;
		}

		/**
		 * Sets how long {@link KnockKnock#stop()} waits for the knock loop to end.
		 * @param timeout the timeout, by default the longer of the sampling and sleeping
		 * intervals plus 1 ms
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Builds the knocker, not yet started.
		 * @return the knocker
		 * @throws InvalidSettingException (an IllegalArgumentException) naming the setting and its
		 * value, if one is invalid
		 */
		public KnockKnock build() {
			if (this.name == null || !NAME.matcher(this.name).matches()) {
				throw new InvalidSettingException("name", (this.name != null) ? "'" + this.name + "'" : null,
						"start with a letter or digit and hold only letters, digits, '.', '_' or '-'");
			}
			if (this.door == null) {
				throw new InvalidSettingException("door", null, "be one of Doors: jvm(), lock(..), monitor(..), ...");
			}
			return new KnockKnock(this.name, this.door, positive("pollingInterval", this.pollingInterval),
					this.samplingInterval, this.sleepingInterval, this.timeout);
		}

		private static Duration positive(String setting, Duration value) {
			if (value == null || value.isZero() || value.isNegative()) {
				throw new InvalidSettingException(setting, value, "be a positive duration");
			}
			return value;
		}

	}

}
