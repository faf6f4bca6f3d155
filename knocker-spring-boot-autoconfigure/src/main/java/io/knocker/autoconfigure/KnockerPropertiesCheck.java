package io.knocker.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Checks the {@code knocker.*} properties as soon as the bean definitions are read,
 * before any bean is created: a bad value stops startup in its first seconds, not once
 * the database pool and JPA have started, and is quoted as it was written ({@code -1ms},
 * not {@code PT-0.001S}), with where it was written. What needs the beans themselves (the
 * kind of a door's bean) is checked when the knockers are built.
 */
final class KnockerPropertiesCheck implements BeanFactoryPostProcessor, Ordered {

	private final Environment environment;

	KnockerPropertiesCheck(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		Map<String, ConfigurationProperty> written = new HashMap<>();
		// Bound as @ConfigurationProperties will bind them later; a value that does not
		// convert fails here already, reported by Spring Boot's own analyzer.
		KnockerProperties properties = Binder.get(this.environment)
			.bind("knocker", Bindable.of(KnockerProperties.class), new Recorder(written))
			.orElseGet(KnockerProperties::new);
		try {
			KnockerFactory.check(properties, beanFactory);
		}
		catch (KnockerConfigurationException ex) {
			ConfigurationProperty property = written.get(ex.getWhere());
			if (property == null) {
				throw ex;
			}
			throw ex.asWritten(property.getValue(), property.getOrigin());
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/** Keeps each value bound as written, under the property's canonical name. */
	private static final class Recorder implements BindHandler {

		private final Map<String, ConfigurationProperty> written;

		Recorder(Map<String, ConfigurationProperty> written) {
			this.written = written;
		}

		@Override
		public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				@Nullable Object result) {
			ConfigurationProperty property = context.getConfigurationProperty();
			// After a nested object, the context still holds its last value's property.
			if (property != null && name.equals(property.getName())) {
				this.written.put(name.toString(), property);
			}
			return result;
		}

	}

}
