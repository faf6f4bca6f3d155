package io.knocker.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.knocker.KnockKnock;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for Knocker's knockers: the {@code jvm} {@link KnockKnock} (unless
 * the application defines its own), one per {@code knocker.doors} entry, and
 * {@link Knockers} that starts and stops them all with the context.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "knocker.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KnockerProperties.class)
public final class KnockerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(KnockKnock.class)
	KnockKnock jvmKnocker(KnockerProperties properties) {
		return KnockerFactory.jvm(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	Knockers knockers(KnockerProperties properties, ObjectProvider<KnockKnock> beans, ListableBeanFactory beanFactory) {
		List<KnockKnock> knockers = new ArrayList<>(beans.orderedStream().toList());
		knockers.addAll(KnockerFactory.doors(properties, beanFactory));
		return new Knockers(knockers);
	}

}
