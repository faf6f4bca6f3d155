package io.knocker.autoconfigure.metrics;

import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import io.knocker.autoconfigure.measure.MeasuredMethods;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for {@link KnockerMetrics}, when Micrometer is on the class path;
 * Spring Boot binds it to every meter registry.
 */
@AutoConfiguration(after = { KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class })
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(Knockers.class)
public final class KnockerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KnockerMetrics knockerMetrics(Knockers knockers, ObjectProvider<MeasuredMethods> methods) {
		return new KnockerMetrics(knockers, methods.getIfAvailable());
	}

}
