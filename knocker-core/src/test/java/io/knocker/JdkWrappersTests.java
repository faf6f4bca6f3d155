package io.knocker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An executor door on the JDK's wrappers ({@code Executors.newSingleThreadExecutor()}):
 * looked into when {@code java.base} opens {@code java.util.concurrent}, otherwise handed
 * a no-op at every knock, said at startup with the fix. Each case in a JVM of its own, as
 * the opening is the JVM's.
 */
class JdkWrappersTests {

	private static final String OPEN = "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED";

	@Test
	void whenJavaBaseOpensItTheDoorLooksIntoTheWrappedPoolAndNeverStartsItsThread() throws Exception {
		Probe probe = run(OPEN);
		// Below its core size the pool would start a thread for a newcomer: the knock
		// gets
		// through instead.
		assertThat(probe.idleThreads).as(probe.output).isZero();
		assertThat(probe.busy).as(probe.output).isGreaterThan(0.8);
		assertThat(probe.output).doesNotContain("cannot look into");
	}

	@Test
	void otherwiseEveryKnockHandsItANoOpAndStartupSaysHowToLook() throws Exception {
		Probe probe = run();
		// The first knock's no-op started the pool's thread: what the look avoids.
		assertThat(probe.idleThreads).as(probe.output).isEqualTo(1);
		assertThat(probe.busy).as(probe.output).isGreaterThan(0.8);
		assertThat(probe.output).contains("cannot look into java.util.concurrent.Executors$")
			.contains("--add-opens java.base/java.util.concurrent=ALL-UNNAMED");
	}

	private static Probe run(String... options) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(List.of(options));
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), JdkWrapperProbe.class.getName()));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes());
		System.out.print("JDK wrapper " + List.of(options) + ": " + output);
		Matcher matcher = Pattern.compile("idleThreads=(\\d+) busy=([0-9.]+)").matcher(output);
		assertThat(matcher.find()).as(output).isTrue();
		return new Probe(output, Integer.parseInt(matcher.group(1)), Double.parseDouble(matcher.group(2)));
	}

	private record Probe(String output, int idleThreads, double busy) {
	}

}
