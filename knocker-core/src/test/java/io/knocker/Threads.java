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

	static long countNamedStartingWith(String prefix) {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith(prefix)).count();
	}

}
