package io.knocker.autoconfigure.observation;

import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import io.knocker.autoconfigure.measure.MeasuredMethods;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that puts each {@code @KnockMeasured} call's contention on the
 * current observation, when Micrometer Observation is on the classpath; nothing of it is
 * loaded otherwise.
 */
@AutoConfiguration(after = KnockMeasuredAutoConfiguration.class)
@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
@ConditionalOnBean(MeasuredMethods.class)
public final class KnockerObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ContentionKeyValues knockerContentionKeyValues(ObjectProvider<ObservationRegistry> registry) {
		return new ContentionKeyValues(registry);
	}

}
