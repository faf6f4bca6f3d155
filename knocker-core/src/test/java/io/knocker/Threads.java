package io.knocker;

/** Finds live threads by name, and what they allocate. */
final class Threads {

	private Threads() {
	}

	static Thread named(String name) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(name))
			.findFirst()
			.orElse(null);
	}

	/** Bytes the named thread allocated while {@code during} ran. */
	static long allocatedBy(String name, Runnable during) {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
			.getThreadMXBean();
		long id = named(name).getId();
		long before = threads.getThreadAllocatedBytes(id);
		during.run();
		return threads.getThreadAllocatedBytes(id) - before;
	}

}
