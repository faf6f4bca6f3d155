package io.knocker;

/**
 * A private view of one knocker's contention over a stretch of time, such as one method
 * call. While any window is open the knocker samples without its sleeping gap. Windows
 * never reset the knocker's metric or each other. Close it when the stretch ends; closing
 * twice does nothing.
 *
 * <pre>{@code
 * try (KnockWindow window = knocker.open()) {
 *     doWork();
 *     log.info("contention {}", window.contention());
 * }
 * }</pre>
 */
public final class KnockWindow implements AutoCloseable {

	private final KnockKnock knocker;

	private final KnockSnapshot opened;

	private volatile KnockSnapshot closed;

	KnockWindow(KnockKnock knocker, KnockSnapshot opened) {
		this.knocker = knocker;
		this.opened = opened;
	}

	/**
	 * The contention from opening to closing (or to now, while open), from 0 to 1; 0 when
	 * nothing was sampled, see {@link #isSampled()}.
	 * @return the window's contention
	 */
	public double contention() {
		return end().contentionSince(this.opened);
	}

	/**
	 * Whether a knock ran, or waited, while the window was open (one does unless the
	 * knocker is stopped or the window is short against the polling interval).
	 * @return whether the window's contention was measured
	 */
	public boolean isSampled() {
		KnockSnapshot end = end();
		// A knock ran (or waited on) while the window was open: sampled time alone, with
		// no knock,
		// measured nothing.
		return end.sampledSince(this.opened)
				&& (end.knocks() > this.opened.knocks() || end.contendedNanos() > this.opened.contendedNanos());
	}

	/**
	 * The knocker's counters when the window opened.
	 * @return the snapshot at opening
	 */
	public KnockSnapshot opened() {
		return this.opened;
	}

	/**
	 * The knocker's counters when the window closed, or now while it is open.
	 * @return the snapshot at closing
	 */
	public KnockSnapshot end() {
		KnockSnapshot end = this.closed;
		return (end != null) ? end : this.knocker.snapshot();
	}

	@Override
	public void close() {
		if (this.closed == null) {
			synchronized (this) {
				if (this.closed == null) {
					this.closed = this.knocker.snapshot();
					this.knocker.windowClosed();
				}
			}
		}
	}

}
