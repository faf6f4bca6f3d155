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
	void aBadPropertyStopsStartupWithAReportNamingItAndTheFix(CapturedOutput output) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--knocker.polling-interval=-1ms"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("knocker.polling-interval")
			.contains("Value: PT-0.001S")
			.contains("Reason: pollingInterval must be a positive duration")
			.contains("Set knocker.polling-interval to a value that does, such as 1ms.");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(KnockerAutoConfiguration.class)
	static class App {

	}

}
