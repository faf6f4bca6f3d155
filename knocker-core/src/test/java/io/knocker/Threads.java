package io.knocker;

/** Finds live threads by name. */
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

}
