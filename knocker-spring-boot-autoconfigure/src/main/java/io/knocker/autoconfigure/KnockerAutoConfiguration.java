package io.knocker.autoconfigure;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.knocker.KnockKnock;
import io.knocker.autoconfigure.pool.ConnectionPoolDoors;
import io.knocker.autoconfigure.pool.ConnectionPoolDoorsConfiguration;
import io.knocker.autoconfigure.pool.DataSourcePools;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration for Knocker's knockers: the {@code jvm} {@link KnockKnock} (unless
 * the application defines a bean named {@code jvm}), the application's own
 * {@code KnockKnock} beans, one per {@code knocker.doors} entry, one per door the
 * application already has ({@code knocker.auto-doors}), and {@link Knockers} that starts
 * and stops them all with the context. The {@code knocker.*} properties are checked
 * before any bean is created ({@link KnockerPropertiesCheck}).
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "knocker.enabled", matchIfMissing = true)
@EnableConfigurationProperties(KnockerProperties.class)
@Import(ConnectionPoolDoorsConfiguration.class)
public final class KnockerAutoConfiguration {

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static KnockerPropertiesCheck knockerPropertiesCheck(Environment environment) {
		return new KnockerPropertiesCheck(environment);
	}

	@Bean(Knockers.JVM)
	@ConditionalOnMissingBean(name = Knockers.JVM)
	KnockKnock jvmKnocker(KnockerProperties properties) {
		return KnockerFactory.jvm(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	Knockers knockers(KnockerProperties properties, ObjectProvider<KnockKnock> beans, ListableBeanFactory beanFactory,
			Environment environment, ObjectProvider<ConnectionPoolDoors> poolKinds) {
		DataSourcePools pools = new DataSourcePools(poolKinds.orderedStream().toList());
		List<KnockKnock> knockers = new ArrayList<>(beans.orderedStream().toList());
		knockers.addAll(KnockerFactory.doors(properties, beanFactory, pools));
		Set<String> taken = new HashSet<>();
		knockers.forEach((knocker) -> taken.add(knocker.getName()));
		knockers.addAll(AutoDoors.knockers(properties, beanFactory, environment, taken, pools));
		return new Knockers(knockers, KnockerFactory.defaults(properties));
	}

}
