package io.knocker.autoconfigure.page;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.endpoint.ContentionEndpointAutoConfiguration;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class PageEndpointAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, KnockerAutoConfiguration.class,
				KnockMeasuredAutoConfiguration.class, ContentionEndpointAutoConfiguration.class,
				PageEndpointAutoConfiguration.class));

	@Test
	void pageIsCreatedWhenExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=contention,knocker")
			.run((context) -> assertThat(context).hasSingleBean(PageEndpoint.class));
	}

	@Test
	void pageIsAbsentWhenNotExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=contention")
			.run((context) -> assertThat(context).doesNotHaveBean(PageEndpoint.class));
	}

	@Test
	void pageIsAbsentWhenExposedOnlyOverJmx() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=*",
					"management.endpoints.web.exposure.include=contention")
			.run((context) -> assertThat(context).doesNotHaveBean(PageEndpoint.class));
	}

	@Test
	void pageCanBeDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=contention,knocker",
					"management.endpoint.knocker.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(PageEndpoint.class));
	}

	@Test
	void pageIsAbsentWhenKnockerIsDisabled() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=contention,knocker", "knocker.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PageEndpoint.class));
	}

	@Test
	void pageBacksOffFromTheApplicationsOwn() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=contention,knocker")
			.withUserConfiguration(OwnPage.class)
			.run((context) -> assertThat(context).getBean(PageEndpoint.class).isSameAs(context.getBean("ownPage")));
	}

	@Test
	void pageOffersNoResetWhileTheContentionEndpointIsReadOnly() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=contention,knocker")
			.run((context) -> assertThat(context.getBean(PageEndpoint.class).page())
				.contains("data-writable=\"false\""));
	}

	@Test
	void pageOffersAResetWhereTheContentionEndpointAcceptsWrites() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=contention,knocker",
					"management.endpoint.contention.access=UNRESTRICTED")
			.run((context) -> assertThat(context.getBean(PageEndpoint.class).page())
				.contains("data-writable=\"true\""));
	}

	@Test
	void pageOffersNoResetWhereTheActuatorCapsAccessAtReadOnly() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=contention,knocker",
					"management.endpoint.contention.access=UNRESTRICTED",
					"management.endpoints.access.max-permitted=READ_ONLY")
			.run((context) -> assertThat(context.getBean(PageEndpoint.class).page())
				.contains("data-writable=\"false\""));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnPage {

		@Bean
		PageEndpoint ownPage() {
			return new PageEndpoint(() -> "contention", () -> false);
		}

	}

}
