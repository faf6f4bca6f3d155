package io.knocker;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Measures contention on a {@link Door}, as gilknocker does for Python's GIL: it knocks
 * on the door every polling interval (on average) for a sampling window, sleeps, and
 * starts over. The contention metric is the time the knocks waited over the time sampled,
 * from 0 (the door was always free) to 1 (it was never free), since start or the last
 * reset. All knockers share one daemon thread, {@code knocker}, that knocks every door
 * due at once; a door that must wait does so on a thread of its own,
 * {@code knocker-<name>}.
 *
 * <pre>{@code
 * KnockKnock knocker = KnockKnock.builder().door(Doors.lock(lock)).build();
 * knocker.start();
 * ...
 * double contention = knocker.getContentionMetric();
 * knocker.stop();
 * }</pre>
 *
 * The knocker is safe to use from any thread. The knock loop allocates nothing in steady
 * state (beyond what the door itself allocates to wait, such as a lock's queue node).
 */
public final class KnockKnock implements AutoCloseable {

	private static final System.Logger logger = System.getLogger(KnockKnock.class.getName());

	private static final Duration MIN_POLLING_INTERVAL = Duration.ofNanos(10_000);

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

	private final String name;

	private final Door door;

	private final Duration pollingInterval;

	private final Duration samplingInterval;

	private final Duration sleepingInterval;

	private final Duration timeout;

	private final Ledger ledger = new Ledger();

	private final AtomicInteger openWindows = new AtomicInteger();

	private final Holders holders;

	private final Object lifecycleMonitor = new Object();

	private volatile Knocking knocking;

	private volatile KnockSnapshot resetPoint = KnockSnapshot.ZERO;

	private volatile boolean failureLogged;

	private KnockKnock(String name, Door door, Duration polling, Duration sampling, Duration sleeping, Duration timeout,
			double holderSamplesPerSecond) {
		this.name = name;
		this.door = door;
		this.holders = (holderSamplesPerSecond > 0 && door.samplesHolders()) ? new Holders(holderSamplesPerSecond)
				: null;
		this.pollingInterval = polling;
		this.samplingInterval = Builder.positive("samplingInterval",
				(sampling != null) ? sampling : polling.multipliedBy(10));
		if (this.samplingInterval.compareTo(polling) < 0) {
			throw new InvalidSettingException("samplingInterval", this.samplingInterval,
					"be at least pollingInterval (" + polling + ")");
		}
		this.sleepingInterval = Builder.notNegative("sleepingInterval",
				(sleeping != null) ? sleeping : polling.multipliedBy(100));
		Duration longer = (this.samplingInterval.compareTo(this.sleepingInterval) >= 0) ? this.samplingInterval
				: this.sleepingInterval;
		this.timeout = Builder.positive("timeout", (timeout != null) ? timeout : longer.plusMillis(1));
	}

	/**
	 * A builder with gilknocker's defaults: the JVM door, polling every millisecond,
	 * sampling for ten polling intervals, sleeping for a hundred.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts knocking, on the shared {@code knocker} thread. Does nothing if running.
	 */
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (this.knocking != null) {
				return;
			}
			Knocking knocking = new Knocking(this, this.door, this.ledger, this.openWindows);
			this.door.opened(knocking);
			this.knocking = knocking;
			KnockLoop.SHARED.join(knocking);
		}
	}

	/**
	 * Stops knocking and waits for the door's own thread to end, at most the timeout;
	 * past it, logs a warning and returns (a knock stuck on a monitor cannot be
	 * interrupted). The metric keeps its value. Does nothing if not running.
	 */
	public void stop() {
		synchronized (this.lifecycleMonitor) {
			Knocking knocking = this.knocking;
			if (knocking == null) {
				return;
			}
			this.knocking = null;
			long deadline = System.nanoTime() + this.timeout.toNanos();
			KnockLoop.SHARED.leave(this, deadline);
			if (!this.door.closed(deadline)) {
				logger.log(Level.WARNING, () -> "Knocker '" + this.name + "' did not stop within " + this.timeout
						+ "; its thread is still waiting on the " + this.door + " and will end when it gets through");
			}
			// Freezes the counters even if a knock is stuck.
			this.ledger.retire(knocking.generation());
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
		return this.knocking != null;
	}

	/**
	 * The time knocks waited over the time sampled, since start or the last reset, from 0
	 * to 1.
	 * @return the contention metric
	 */
	public double getContentionMetric() {
		KnockSnapshot resetPoint = this.resetPoint;
		KnockSnapshot now = snapshot();
		// Over less than a polling interval the ratio is one knock's noise: right after a
		// reset it
		// could read 1.0.
		if (now.sampledNanos() - resetPoint.sampledNanos() < this.pollingInterval.toNanos()) {
			return 0.0;
		}
		return now.contentionSince(resetPoint);
	}

	/**
	 * The contention over the last complete sampling window, from 0 to 1.
	 * @return the recent contention metric
	 */
	public double getRecentContentionMetric() {
		return this.ledger.lastWindowContention();
	}

	/**
	 * The share of knocks since start or the last reset that could not get through at
	 * once; with knocks spaced at random, an estimate of how much of the time the door
	 * was taken.
	 * @return the busy ratio, from 0 to 1
	 */
	public double getBusyRatio() {
		return snapshot().busyRatioSince(this.resetPoint);
	}

	/**
	 * Knocks that threw instead of getting through (for example an executor that rejected
	 * the knock); the knocker carries on and logs the first. Same as
	 * {@code snapshot().failedKnocks()}.
	 * @return the number of failed knocks since the knocker was built
	 */
	public long getFailedKnocks() {
		return snapshot().failedKnocks();
	}

	/**
	 * Starts the contention metric and busy ratio over from now. The snapshot counters go
	 * on.
	 */
	public void resetContentionMetric() {
		this.resetPoint = snapshot();
		if (this.holders != null) {
			this.holders.reset();
		}
	}

	/**
	 * Who held this lock or monitor door when knocks found it busy, since start or the
	 * last reset: the top ten holding sites, most sampled first. Empty for other doors,
	 * or with holder sampling off.
	 * @return the holding sites
	 */
	public List<HolderSite> getHolders() {
		return (this.holders != null) ? this.holders.top() : List.of();
	}

	Holders holders() {
		return this.holders;
	}

	/**
	 * The monotonic counters now, a knock still waiting and the window still open
	 * included.
	 * @return a snapshot of the counters
	 */
	public KnockSnapshot snapshot() {
		return this.ledger.snapshot();
	}

	/**
	 * Opens a private window on this knocker's contention; until the last open window
	 * closes, the knocker samples without its sleeping gap.
	 * @return the open window, to close when the measured stretch ends
	 */
	public KnockWindow open() {
		KnockSnapshot opened = snapshot();
		if (this.openWindows.getAndIncrement() == 0) {
			KnockLoop.SHARED.wake();
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
	 * The mean time between knocks (they come at random moments).
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
	 * How long the knocker sleeps between sampling windows; zero: it never sleeps.
	 * @return the sleeping interval
	 */
	public Duration getSleepingInterval() {
		return this.sleepingInterval;
	}

	/**
	 * How long {@link #stop()} waits for a knock under way to end.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.timeout;
	}

	@Override
	public String toString() {
		return "KnockKnock[" + this.name + " on the " + this.door + ", polling " + this.pollingInterval + "]";
	}

	void knockFailed(Throwable ex) {
		if (!this.failureLogged) {
			this.failureLogged = true;
			logger.log(Level.WARNING, "Knocker '" + this.name + "' failed to knock on the " + this.door
					+ "; it carries on and counts failed knocks", ex);
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

		private double holderSamplesPerSecond = 2;

		private Builder() {
		}

		/**
		 * Names the knocker, for its thread, meters and endpoint; letters, digits, '.',
		 * '_', '-'.
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
		 * Sets how long to sleep between sampling windows; zero knocks all the time.
		 * @param sleepingInterval the sleeping interval, 100 polling intervals by default
		 * @return this builder
		 */
		public Builder sleepingInterval(Duration sleepingInterval) {
			this.sleepingInterval = sleepingInterval;
			return this;
		}

		/**
		 * Sets how long {@link KnockKnock#stop()} waits for a knock under way to end.
		 * @param timeout the timeout, by default the longer of the sampling and sleeping
		 * intervals plus 1 ms
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Sets how often, at most, to sample who holds a busy lock or monitor door.
		 * @param perSecond samples a second, 2 by default; 0 turns holder sampling off
		 * @return this builder
		 */
		public Builder holderSamplesPerSecond(double perSecond) {
			this.holderSamplesPerSecond = perSecond;
			return this;
		}

		/**
		 * Builds the knocker, not yet started.
		 * @return the knocker
		 * @throws InvalidSettingException (an IllegalArgumentException) naming the
		 * setting and its value, if one is invalid
		 */
		public KnockKnock build() {
			if (this.name == null || !NAME.matcher(this.name).matches()) {
				throw new InvalidSettingException("name", (this.name != null) ? "'" + this.name + "'" : null,
						"start with a letter or digit and hold only letters, digits, '.', '_' or '-'");
			}
			if (this.door == null) {
				throw new InvalidSettingException("door", null, "be one of Doors: jvm(), lock(..), monitor(..), ...");
			}
			Duration polling = positive("pollingInterval", this.pollingInterval);
			if (polling.compareTo(MIN_POLLING_INTERVAL) < 0) {
				throw new InvalidSettingException("pollingInterval", polling,
						"be at least 10us: shorter, the knocks cost a core and measure their own overhead");
			}
			if (this.holderSamplesPerSecond < 0 || Double.isNaN(this.holderSamplesPerSecond)) {
				throw new InvalidSettingException("holderSamplesPerSecond", this.holderSamplesPerSecond,
						"be zero (off) or a positive rate");
			}
			return new KnockKnock(this.name, this.door, polling, this.samplingInterval, this.sleepingInterval,
					this.timeout, this.holderSamplesPerSecond);
		}

		private static Duration positive(String setting, Duration value) {
			if (value == null || value.isZero() || value.isNegative()) {
				throw new InvalidSettingException(setting, value, "be a positive duration");
			}
			return value;
		}

		private static Duration notNegative(String setting, Duration value) {
			if (value == null || value.isNegative()) {
				throw new InvalidSettingException(setting, value, "be zero or a positive duration");
			}
			return value;
		}

	}

}
