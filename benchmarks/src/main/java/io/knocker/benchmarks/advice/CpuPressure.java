package io.knocker.benchmarks.advice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's CPU pressure (Linux PSI, {@code /proc/pressure/cpu}): the share of time
 * at least one runnable task waited for a core. Other work on a shared machine shows
 * here, and a run under heavy pressure does not stand for the load it was given.
 */
final class CpuPressure {

	private static final Path PRESSURE = Path.of("/proc/pressure/cpu");

	private CpuPressure() {
	}

	/**
	 * @return the stalled microseconds since boot, or {@code -1} where the kernel does
	 * not say
	 */
	static long totalMicros() {
		String some = some();
		return (some != null) ? Long.parseLong(field(some, "total")) : -1;
	}

	/**
	 * @return the share of the last ten seconds stalled, or {@code NaN} where unknown
	 */
	static double recent() {
		String some = some();
		return (some != null) ? Double.parseDouble(field(some, "avg10")) / 100 : Double.NaN;
	}

	private static String some() {
		try {
			for (String line : Files.readAllLines(PRESSURE)) {
				if (line.startsWith("some ")) {
					return line;
				}
			}
		}
		catch (IOException ex) {
			// No PSI here (not Linux, or an old kernel).
		}
		return null;
	}

	private static String field(String line, String name) {
		for (String part : line.split(" ")) {
			if (part.startsWith(name + "=")) {
				return part.substring(name.length() + 1);
			}
		}
		throw new IllegalStateException("no " + name + " in " + line);
	}

}
