package io.knocker.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A real application start: the analyzer is registered and prints Spring Boot's report.
 */
@ExtendWith(OutputCaptureExtension.class)
class KnockerFailureAnalyzerTests {

	@Test
	void aBadPropertyStopsStartupBeforeAnyBeanWithAReportQuotingItAsWrittenAndTheFix(CapturedOutput output) {
		App.created = false;
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException()
			.isThrownBy(() -> application.run("--spring.config.location=classpath:/failure/bad-polling-interval.yml"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("knocker.polling-interval: -1ms")
			.contains("Origin: class path resource [failure/bad-polling-interval.yml] - 3:")
			.contains("Reason: polling-interval must be a positive duration")
			.contains("Set knocker.polling-interval to a value that does, such as 1ms.")
			.doesNotContain("PT-0.001S");
		// Checked as the bean definitions are read: no application bean (a database pool,
		// JPA) was created, and so none was started and stopped again.
		assertThat(App.created).as("the application's configuration was created").isFalse();
	}

	@Test
	void aValueFromACommandLineArgumentIsQuotedAsWrittenToo(CapturedOutput output) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--knocker.doors.orders.bean=orderLock"));
		assertThat(output).contains("knocker.doors.orders.bean: orderLock")
			.contains("Origin: \"knocker.doors.orders.bean\" from property source \"commandLineArgs\"")
			.contains("Reason: there is no bean named 'orderLock'");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(KnockerAutoConfiguration.class)
	static class App {

		static volatile boolean created;

		App() {
			created = true;
		}

	}

}
