package io.knocker.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;

import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.WebServers;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A misconfiguration found while the web server starts is reported once, by the failure
 * analyzer, as every other: no error from the server before it.
 */
@ExtendWith(OutputCaptureExtension.class)
class MisconfiguredWebAppTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty", "netty" })
	void aMisspeltDoorIsReportedAlone(String server, CapturedOutput output) {
		assertThatException().isThrownBy(() -> WebServers.on(server, Misspelt.class).run(args(server)));
		assertReportedAlone(output, "no door is named 'inventry-lock'");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "tomcat", "jetty", "netty" })
	void aDoorOnAMissingBeanIsReportedAlone(String server, CapturedOutput output) {
		// The knockers are built when the server starts: the endpoint's request-size
		// filter is one of its beans.
		assertThatException().isThrownBy(() -> WebServers.on(server, Misspelt.class)
			.run(args(server, "--knocker.doors.inventry-lock.bean=inventryLock")));
		assertReportedAlone(output, "there is no bean named 'inventryLock'");
	}

	private static String[] args(String server, String... more) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--management.endpoints.web.exposure.include=contention"));
		if ("netty".equals(server)) {
			args.add("--spring.main.web-application-type=reactive");
		}
		args.addAll(List.of(more));
		return args.toArray(new String[0]);
	}

	private static void assertReportedAlone(CapturedOutput output, String reason) {
		String log = output.getAll();
		assertThat(log).contains("APPLICATION FAILED TO START").contains(reason);
		// The report is logged at ERROR by Spring Boot's reporter; nothing else is.
		assertThat(log.lines().filter((line) -> line.contains(" ERROR ")))
			.allMatch((line) -> line.contains("LoggingFailureAnalysisReporter"));
		assertThat(log).doesNotContain("Unable to start web server").doesNotContain("Error starting Tomcat context");
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@RestController
	public static class Misspelt {

		@GetMapping("/orders")
		@KnockMeasured(door = "inventry-lock")
		public String orders() {
			return "placed";
		}

	}

}
