package io.knocker.autoconfigure.endpoint;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ContentionEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class,
				ContentionEndpointAutoConfiguration.class));

	@Test
	void endpointIsCreatedWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=contention")
			.run((context) -> assertThat(context).hasSingleBean(ContentionEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenNotExposed() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(ContentionEndpoint.class));
	}

	@Test
	void endpointCanBeDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=contention",
					"management.endpoint.contention.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(ContentionEndpoint.class));
	}

	@Test
	void endpointIsAbsentWhenKnockerIsDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=contention", "knocker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ContentionEndpoint.class));
	}

	@Test
	void endpointBacksOffFromTheApplicationsOwn() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=contention")
			.withUserConfiguration(OwnEndpoint.class)
			.run((context) -> assertThat(context).getBean(ContentionEndpoint.class)
				.isSameAs(context.getBean("ownEndpoint")));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEndpoint {

		@Bean
		ContentionEndpoint ownEndpoint(Knockers knockers) {
			return new ContentionEndpoint(knockers, null);
		}

	}

}
