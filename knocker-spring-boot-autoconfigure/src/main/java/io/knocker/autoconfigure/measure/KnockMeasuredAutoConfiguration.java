package io.knocker.autoconfigure.measure;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for {@link io.knocker.KnockMeasured @KnockMeasured}: the
 * post-processor that advises annotated beans, and the {@link MeasuredMethods} it reports
 * to.
 */
@AutoConfiguration(after = KnockerAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "knocker.enabled", matchIfMissing = true)
public final class KnockMeasuredAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static MeasuredMethods measuredMethods() {
		return new MeasuredMethods();
	}

	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static KnockMeasuredBeanPostProcessor knockMeasuredBeanPostProcessor(MeasuredMethods measuredMethods,
			ObjectProvider<Knockers> knockers, Environment environment) {
		return new KnockMeasuredBeanPostProcessor(measuredMethods, knockers,
				environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
	}

}
