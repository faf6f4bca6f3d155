package io.knocker;

import java.lang.management.GarbageCollectorMXBean;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.ObjectName;

/**
 * A collector bean whose pauses a test reports, so the accounting of a pause can be
 * checked exactly.
 */
final class FakeCollector implements GarbageCollectorMXBean {

	private final String name;

	private final AtomicLong millis = new AtomicLong();

	private final AtomicLong count = new AtomicLong();

	FakeCollector(String name) {
		this.name = name;
	}

	/** Reports a pause that has just ended, as a collector does. */
	void paused(long pauseMillis) {
		this.millis.addAndGet(pauseMillis);
		this.count.incrementAndGet();
	}

	@Override
	public long getCollectionCount() {
		return this.count.get();
	}

	@Override
	public long getCollectionTime() {
		return this.millis.get();
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public boolean isValid() {
		return true;
	}

	@Override
	public String[] getMemoryPoolNames() {
		return new String[0];
	}

	@Override
	public ObjectName getObjectName() {
		return null;
	}

}
