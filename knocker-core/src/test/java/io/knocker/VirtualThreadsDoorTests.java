package io.knocker;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The virtual-thread scheduler as a door; CI runs these on JDK 25 as well as 17. */
class VirtualThreadsDoorTests {

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void beforeJdk21TheDoorIsRefusedNamingTheJdk() {
		assertThat(Doors.hasVirtualThreads()).isFalse();
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(Doors::virtualThreads)
			.withMessageContaining("JDK 21");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void readsLowAtRestAndHighWhenTheOnlyCarrierIsTaken() throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-Djdk.virtualThreadScheduler.parallelism=1",
				"-Djdk.virtualThreadScheduler.maxPoolSize=1", "-cp", System.getProperty("java.class.path"),
				VirtualThreadsProbe.class.getName())
			.redirectErrorStream(true)
			.start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes());
		System.out.print("virtual threads: " + output);
		Matcher probe = Pattern.compile("rest=([0-9.]+) spinning=([0-9.]+) kind=virtual-threads noise=([0-9.]+)")
			.matcher(output);
		assertThat(probe.find()).as(output).isTrue();
		// At rest a virtual thread starts within microseconds of being asked to, but its
		// carrier wakes as late as the machine's timer lets any thread wake: the bare
		// park loop beside it measures that (a fixed 0.05 failed once at 0.053 on an idle
		// virtual machine, whose CPUs wake late now and then).
		assertThat(Double.parseDouble(probe.group(1))).isLessThan(0.05 + 2 * Double.parseDouble(probe.group(3)));
		// A virtual thread that never yields holds the only carrier: every knock waits.
		assertThat(Double.parseDouble(probe.group(2))).isGreaterThan(0.8);
	}

}
