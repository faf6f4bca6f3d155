package io.knocker.autoconfigure.measure;

import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.Knockers;

import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

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

	/**
	 * Creates the post-processor.
	 * @param methods where the measured methods are kept
	 * @param knockers the knockers the methods measure on
	 */
	public KnockMeasuredBeanPostProcessor(MeasuredMethods methods, ObjectProvider<Knockers> knockers) {
		this.methods = methods;
		this.knockers = knockers;
		setBeforeExistingAdvisors(true);
		setProxyTargetClass(true);
		Pointcut onClass = new AnnotationMatchingPointcut(KnockMeasured.class, true);
		Pointcut onMethod = new AnnotationMatchingPointcut(null, KnockMeasured.class, true);
		this.advisor = new DefaultPointcutAdvisor(new ComposablePointcut(onClass).union(onMethod),
				new KnockMeasuredInterceptor(methods));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Object result = super.postProcessAfterInitialization(bean, beanName);
		if (result != bean || isEligible(bean, beanName)) {
			this.methods.registerAll(AopUtils.getTargetClass(bean));
		}
		return result;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Knockers knockers = this.knockers.getIfAvailable();
		if (knockers != null) {
			this.methods.bind(knockers);
		}
	}

}
