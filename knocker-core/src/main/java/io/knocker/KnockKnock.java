package io.knocker;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

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

	private final KnockSettings settings;

	private final Door door;

	private final Ledger ledger = new Ledger();

	private final OpenCalls calls;

	private final Holders holders;

	private final Object lifecycleMonitor = new Object();

	private volatile Knocking knocking;

	private volatile KnockSnapshot resetPoint = KnockSnapshot.ZERO;

	private final Knocking.Failures failures = new Knocking.Failures();

	private KnockKnock(KnockSettings settings, Door door) {
		this.settings = settings;
		this.door = door;
		this.calls = new OpenCalls(door);
		this.holders = (settings.holderSamplesPerSecond() > 0 && BuiltInDoor.of(door).samplesHolders())
				? new Holders(settings.holderSamplesPerSecond()) : null;
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
			Knocking knocking = new Knocking(this.settings, this.door, this.ledger, this.calls, this.holders,
					this.failures);
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
			long deadline = System.nanoTime() + this.settings.timeout().toNanos();
			KnockLoop.SHARED.leave(knocking, deadline);
			if (!this.door.closed(deadline)) {
				logger.log(Level.WARNING,
						() -> "Knocker '" + this.settings.name() + "' did not stop within " + this.settings.timeout()
								+ "; its thread is still waiting on the " + this.door
								+ " and will end when it gets through");
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
		// reset it could read 1.0.
		if (now.sampledNanos() - resetPoint.sampledNanos() < this.settings.pollingInterval().toNanos()) {
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

	/**
	 * The monotonic counters now, a knock still waiting and the sampling window still
	 * open included.
	 * @return a snapshot of the counters
	 */
	public KnockSnapshot snapshot() {
		return this.ledger.snapshot();
	}

	/**
	 * Opens a measured call: a private view of this knocker's contention, for a stretch
	 * of time on the calling thread (a method call). The call rides the knocker's cycle:
	 * opening it never wakes the knocker or cancels its sleep, so following calls costs
	 * what the cycle costs however many there are; a call that spans no sampling window
	 * has no figure of its own. Where the door can tell, the call also measures how much
	 * of its time the calling thread spent waiting at the door
	 * ({@link MeasuredCall#waited()}).
	 * @return the open call, to close when the measured stretch ends
	 */
	public MeasuredCall open() {
		return new MeasuredCall(this.ledger, BuiltInDoor.of(this.door).countsGcPauses(), this.settings,
				this.calls.open(Thread.currentThread()));
	}

	/**
	 * Opens a measured call for a stretch that no one thread carries, such as a
	 * {@code CompletionStage} or a reactive subscription measured to completion: its
	 * contention only, as {@link #open()}; no thread is looked at, so its
	 * {@link MeasuredCall#waited()} is empty.
	 * @return the open call, to close when the measured stretch ends
	 */
	public MeasuredCall openAsync() {
		return new MeasuredCall(this.ledger, BuiltInDoor.of(this.door).countsGcPauses(), this.settings,
				this.calls.openDetached());
	}

	/**
	 * How many measured calls are open now: {@link MeasuredCall}s opened and not yet
	 * closed (a "window" elsewhere is a sampling window of gilknocker's cycle).
	 * @return the number of open calls
	 */
	public int getOpenCalls() {
		return this.calls.count();
	}

	/**
	 * The settings the knocker was built with.
	 * @return the settings
	 */
	public KnockSettings getSettings() {
		return this.settings;
	}

	/**
	 * Whether the JVM can name who holds this door (a lock or a monitor) and holder
	 * sampling is on, so that {@link #getHolders()} can have something to say.
	 * @return whether holders are sampled
	 */
	public boolean samplesHolders() {
		return this.holders != null;
	}

	/**
	 * Whether a call measured on this door gets a {@link MeasuredCall#waited()} figure:
	 * the door can tell whether a thread waits at it (a lock, a semaphore, a monitor, a
	 * connection pool), or is the JVM's.
	 * @return whether calls get a waited figure
	 */
	public boolean tellsWaiting() {
		return this.calls.tells() || BuiltInDoor.of(this.door).countsGcPauses();
	}

	/**
	 * Whether this knocker counts the JVM's stop-the-world pauses
	 * ({@link KnockSnapshot#gcPauseNanos()}): the JVM door's does.
	 * @return whether pauses are counted
	 */
	public boolean countsGcPauses() {
		return BuiltInDoor.of(this.door).countsGcPauses();
	}

	/**
	 * The knocker's name, such as {@code jvm} or {@code inventory-lock}.
	 * @return the name
	 */
	public String getName() {
		return this.settings.name();
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
		return this.settings.pollingInterval();
	}

	/**
	 * How long each sampling window lasts.
	 * @return the sampling interval
	 */
	public Duration getSamplingInterval() {
		return this.settings.samplingInterval();
	}

	/**
	 * How long the knocker sleeps between sampling windows; zero: it never sleeps.
	 * @return the sleeping interval
	 */
	public Duration getSleepingInterval() {
		return this.settings.sleepingInterval();
	}

	/**
	 * How long {@link #stop()} waits for a knock under way to end.
	 * @return the timeout
	 */
	public Duration getTimeout() {
		return this.settings.timeout();
	}

	@Override
	public String toString() {
		return "KnockKnock[" + this.settings.name() + " on the " + this.door + ", polling "
				+ this.settings.pollingInterval() + "]";
	}

	/**
	 * Builds a {@link KnockKnock}; unset intervals follow the polling interval by
	 * gilknocker's rule ({@link KnockSettings}).
	 */
	public static final class Builder {

		private String name = KnockSettings.DEFAULT_NAME;

		private Door door;

		private Duration pollingInterval = KnockSettings.DEFAULT_POLLING_INTERVAL;

		private Duration samplingInterval;

		private Duration sleepingInterval;

		private Duration timeout;

		private double holderSamplesPerSecond = KnockSettings.DEFAULT_HOLDER_SAMPLES_PER_SECOND;

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
		 * @throws InvalidSettingException (an IllegalArgumentException) if the door is
		 * {@code null}
		 */
		public Builder door(Door door) {
			if (door == null) {
				throw new InvalidSettingException("door", null, "be one of Doors: jvm(), lock(..), monitor(..), ...");
			}
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
		 * @param samplingInterval the sampling interval; {@code null}, the default, for
		 * 10 polling intervals
		 * @return this builder
		 */
		public Builder samplingInterval(Duration samplingInterval) {
			this.samplingInterval = samplingInterval;
			return this;
		}

		/**
		 * Sets how long to sleep between sampling windows; zero knocks all the time.
		 * @param sleepingInterval the sleeping interval; {@code null}, the default, for
		 * 100 polling intervals
		 * @return this builder
		 */
		public Builder sleepingInterval(Duration sleepingInterval) {
			this.sleepingInterval = sleepingInterval;
			return this;
		}

		/**
		 * Sets how long {@link KnockKnock#stop()} waits for a knock under way to end.
		 * @param timeout the timeout; {@code null}, the default, for the longer of the
		 * sampling and sleeping intervals plus 1 ms
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
		 * A copy of this builder, to derive other knockers' settings from the same
		 * values: unset intervals stay unset, so that they follow each copy's polling
		 * interval.
		 * @return a new builder with the same values and no door
		 */
		public Builder copy() {
			Builder copy = new Builder();
			copy.name = this.name;
			copy.pollingInterval = this.pollingInterval;
			copy.samplingInterval = this.samplingInterval;
			copy.sleepingInterval = this.sleepingInterval;
			copy.timeout = this.timeout;
			copy.holderSamplesPerSecond = this.holderSamplesPerSecond;
			return copy;
		}

		/**
		 * The settings this builder makes, defaults resolved.
		 * @return the settings
		 * @throws InvalidSettingException (an IllegalArgumentException) naming the
		 * setting and its value, if one is invalid
		 */
		public KnockSettings settings() {
			Duration polling = this.pollingInterval;
			Duration sampling = this.samplingInterval;
			Duration sleeping = this.sleepingInterval;
			// The rules need a polling interval; KnockSettings refuses a missing one
			// before it looks at the rest.
			if (polling != null) {
				sampling = (sampling != null) ? sampling : KnockSettings.defaultSamplingInterval(polling);
				sleeping = (sleeping != null) ? sleeping : KnockSettings.defaultSleepingInterval(polling);
			}
			Duration timeout = (this.timeout != null || sampling == null || sleeping == null) ? this.timeout
					: KnockSettings.defaultTimeout(sampling, sleeping);
			return new KnockSettings(this.name, polling, sampling, sleeping, timeout, this.holderSamplesPerSecond);
		}

		/**
		 * Builds the knocker, not yet started.
		 * @return the knocker
		 * @throws InvalidSettingException (an IllegalArgumentException) naming the
		 * setting and its value, if one is invalid
		 */
		public KnockKnock build() {
			return new KnockKnock(settings(), (this.door != null) ? this.door : Doors.jvm());
		}

	}

}
