package io.knocker;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples who holds a busy lock or monitor door, at most a few times a second: the thread
 * waiting on the door's behalf is blocked on it, and the JVM names the owner of what it
 * is blocked on ({@link ThreadInfo#getLockOwnerId()}); the owner's top frames are its
 * holding site. Each look is a thread dump of two threads (a VM operation, tens of
 * microseconds), made on the knock loop only while a knock is busy, so a free door costs
 * nothing. Sites are kept from the last reset; the top ten are reported.
 */
final class Holders {

	static final int DEPTH = 8;

	private static final int MAX_THREAD_NAMES = 3;

	private static final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final long minGapNanos;

	private final Map<List<String>, Site> sites = new LinkedHashMap<>();

	private long total;

	private long lastSample;

	private boolean sampledOnce;

	private String lastThread;

	/**
	 * @param maxPerSecond at most this many samples a second; 0 or less: none
	 */
	Holders(double maxPerSecond) {
		this.minGapNanos = (maxPerSecond > 0) ? (long) (1e9 / maxPerSecond) : Long.MAX_VALUE;
	}

	/**
	 * Samples the holder of {@code lock}, which {@code waiter} is blocked on, if the rate
	 * allows; on the knock loop. Returns the site sampled, or {@code null}: nothing is
	 * recorded, and the rate is not spent, unless the waiter is blocked on that very
	 * object (compared by identity), in the JVM's look at it and in the snapshot with its
	 * owner.
	 */
	List<String> sample(Thread waiter, Object lock, long now) {
		if (lock == null || this.minGapNanos == Long.MAX_VALUE
				|| (this.sampledOnce && now - this.lastSample < this.minGapNanos)) {
			return null;
		}
		ThreadInfo waiting = threads.getThreadInfo(waiter.getId(), 0);
		if (!blockedOn(waiting, lock)) {
			// Not (or not yet, or no longer) blocked on the door: nothing to say about a
			// holder.
			return null;
		}
		this.lastSample = now;
		this.sampledOnce = true;
		long ownerId = waiting.getLockOwnerId();
		List<String> frames = HolderSite.UNKNOWN;
		String name = null;
		if (ownerId >= 0) {
			// Both threads in one snapshot, so that the owner's stack is the one it had
			// while the waiter was blocked on it: an owner that let go in between would
			// be named falsely.
			ThreadInfo[] both = threads.getThreadInfo(new long[] { waiter.getId(), ownerId }, DEPTH);
			if (!blockedOn(both[0], lock) || both[0].getLockOwnerId() != ownerId) {
				return null;
			}
			ThreadInfo owner = both[1];
			if (owner != null && owner.getStackTrace().length > 0) {
				List<String> named = new ArrayList<>(DEPTH);
				for (StackTraceElement frame : owner.getStackTrace()) {
					named.add(frame(frame));
				}
				frames = List.copyOf(named);
				name = owner.getThreadName();
			}
		}
		// No owner, or one the JVM does not name (a virtual thread): never a guess.
		this.lastThread = (name != null) ? name : "(unknown)";
		synchronized (this) {
			Site site = this.sites.computeIfAbsent(frames, (key) -> new Site());
			site.samples++;
			if (name != null && site.threads.size() < MAX_THREAD_NAMES && !site.threads.contains(name)) {
				site.threads.add(name);
			}
			this.total++;
		}
		return frames;
	}

	private static boolean blockedOn(ThreadInfo info, Object lock) {
		if (info == null
				|| (info.getThreadState() != Thread.State.BLOCKED && info.getThreadState() != Thread.State.WAITING)) {
			return false;
		}
		return names(info.getLockInfo(), lock);
	}

	/** Whether what the JVM says a thread is blocked on is this very object. */
	static boolean names(LockInfo on, Object lock) {
		return on != null && on.getIdentityHashCode() == System.identityHashCode(lock)
				&& on.getClassName().equals(lock.getClass().getName());
	}

	private static String frame(StackTraceElement frame) {
		String where;
		if (frame.isNativeMethod()) {
			where = "Native Method";
		}
		else if (frame.getFileName() == null) {
			where = "Unknown Source";
		}
		else {
			where = frame.getFileName() + ((frame.getLineNumber() >= 0) ? ":" + frame.getLineNumber() : "");
		}
		return frame.getClassName() + "." + frame.getMethodName() + "(" + where + ")";
	}

	/** The holder thread's name at the last sample, or {@code (unknown)}. */
	String lastThread() {
		return this.lastThread;
	}

	synchronized void reset() {
		this.sites.clear();
		this.total = 0;
	}

	synchronized List<HolderSite> top() {
		List<HolderSite> top = new ArrayList<>();
		this.sites.forEach((frames, site) -> top
			.add(new HolderSite(frames, site.samples, (double) site.samples / this.total, List.copyOf(site.threads))));
		top.sort(Comparator.comparingLong(HolderSite::samples).reversed());
		return List.copyOf(top.subList(0, Math.min(10, top.size())));
	}

	private static final class Site {

		private long samples;

		private final List<String> threads = new ArrayList<>();

	}

}
