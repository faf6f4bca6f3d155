package io.knocker.autoconfigure.measure;

import java.lang.reflect.Modifier;
import java.util.List;

import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.KnockerConfigurationException;
import io.knocker.autoconfigure.Knockers;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.ClassUtils;

/**
 * Proxies beans with {@link KnockMeasured @KnockMeasured} on the class or on methods,
 * advising them with a {@link KnockMeasuredInterceptor}: plain Spring AOP, no AspectJ
 * weaver. Once every singleton exists, checks that each annotation names a door that
 * exists, so that a typo fails startup rather than a call.
 */
@SuppressWarnings("serial")
public class KnockMeasuredBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor
		implements SmartInitializingSingleton {

	private final transient MeasuredMethods methods;

	private final transient ObjectProvider<Knockers> knockers;

	private transient @Nullable BeanFactory beans;

	/**
	 * Creates the post-processor.
	 * @param methods where the measured methods are kept
	 * @param knockers the knockers the methods measure on
	 */
	public KnockMeasuredBeanPostProcessor(MeasuredMethods methods, ObjectProvider<Knockers> knockers) {
		this(methods, knockers, true);
	}

	/**
	 * Creates the post-processor.
	 * @param methods where the measured methods are kept
	 * @param knockers the knockers the methods measure on
	 * @param proxyTargetClass whether to proxy classes rather than interfaces, as
	 * {@code spring.aop.proxy-target-class} says (a final class is proxied by its
	 * interfaces whatever this says)
	 */
	public KnockMeasuredBeanPostProcessor(MeasuredMethods methods, ObjectProvider<Knockers> knockers,
			boolean proxyTargetClass) {
		this.methods = methods;
		this.knockers = knockers;
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(proxyTargetClass);
		Pointcut onClass = new AnnotationMatchingPointcut(KnockMeasured.class, true);
		Pointcut onMethod = new AnnotationMatchingPointcut(null, KnockMeasured.class, true);
		this.advisor = new DefaultPointcutAdvisor(new ComposablePointcut(onClass).union(onMethod),
				new KnockMeasuredInterceptor(methods));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Object result = super.postProcessAfterInitialization(bean, beanName);
		if (result != bean || isEligible(bean, beanName)) {
			this.methods.registerAll(AopUtils.getTargetClass(bean), AopUtils.isJdkDynamicProxy(result));
		}
		return result;
	}

	@Override
	protected ProxyFactory prepareProxyFactory(Object bean, String beanName) {
		ProxyFactory proxyFactory = super.prepareProxyFactory(bean, beanName);
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (Modifier.isFinal(targetClass.getModifiers())) {
			// No class proxy can subclass it: its interfaces are the only way in.
			if (!hasProxiableInterface(targetClass)) {
				throw new KnockerConfigurationException("@KnockMeasured on " + targetClass.getName(), beanName,
						"the class is final and implements no interface, so no proxy can measure its methods",
						"Make " + targetClass.getSimpleName()
								+ " non-final, or have it implement an interface that declares the measured methods.");
			}
			proxyFactory.setProxyTargetClass(false);
		}
		return proxyFactory;
	}

	private boolean hasProxiableInterface(Class<?> targetClass) {
		for (Class<?> ifc : ClassUtils.getAllInterfacesForClassAsSet(targetClass)) {
			if (!isConfigurationCallbackInterface(ifc) && !isInternalLanguageInterface(ifc)
					&& ifc.getMethods().length > 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Binds the measured methods to their doors, and to every
	 * {@link MeasuredMethods.Listener} bean (the meters, the observations).
	 */
	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		// Kept here: the superclass's field is private in Spring Framework 6.2 (Boot
		// 3.5).
		this.beans = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Knockers knockers = this.knockers.getIfAvailable();
		if (knockers != null) {
			BeanFactory beans = this.beans;
			List<MeasuredMethods.Listener> listeners = (beans != null)
					? beans.getBeanProvider(MeasuredMethods.Listener.class).orderedStream().toList() : List.of();
			this.methods.bind(knockers, listeners);
		}
	}

}
