package io.knocker.autoconfigure.measure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

import io.knocker.KnockMeasured;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * What {@link KnockMeasured @KnockMeasured} says of a bean's methods: which are measured,
 * under what name and on what door, and which a proxy can never see.
 */
final class MeasuredAnnotations {

	private MeasuredAnnotations() {
	}

	/**
	 * Whether a method of a bean's class is measured, and as what: a method annotated
	 * itself takes its own annotation; otherwise a public method of an annotated class
	 * takes the class's, its value (if any) prefixing the method's name.
	 * @return the method's name and door, or {@code null} if it is not measured
	 */
	static @Nullable Measured measured(Class<?> targetClass, Method method) {
		Method specific = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, targetClass));
		if (Modifier.isStatic(specific.getModifiers()) || specific.getDeclaringClass() == Object.class) {
			return null;
		}
		Class<?> userClass = ClassUtils.getUserClass(targetClass);
		String name;
		KnockMeasured annotation = AnnotatedElementUtils.findMergedAnnotation(specific, KnockMeasured.class);
		if (annotation != null) {
			name = StringUtils.hasText(annotation.value()) ? annotation.value()
					: userClass.getSimpleName() + "." + specific.getName();
		}
		else {
			annotation = AnnotatedElementUtils.findMergedAnnotation(userClass, KnockMeasured.class);
			if (annotation == null || !Modifier.isPublic(specific.getModifiers())) {
				return null;
			}
			String prefix = StringUtils.hasText(annotation.value()) ? annotation.value() : userClass.getSimpleName();
			name = prefix + "." + specific.getName();
		}
		return new Measured(name, annotation.door(), userClass.getName() + "." + specific.getName());
	}

	/**
	 * Why a proxy can never see calls of an annotated method, or {@code null} if it is
	 * not so.
	 */
	static @Nullable String unreachable(Class<?> targetClass, Method method, boolean interfaceProxy) {
		int modifiers = method.getModifiers();
		boolean annotated = AnnotatedElementUtils.hasAnnotation(method, KnockMeasured.class);
		if (!annotated && (!Modifier.isPublic(modifiers)
				|| !AnnotatedElementUtils.hasAnnotation(ClassUtils.getUserClass(targetClass), KnockMeasured.class))) {
			return null;
		}
		if (Modifier.isStatic(modifiers)) {
			return annotated ? "static" : null;
		}
		if (Modifier.isPrivate(modifiers)) {
			return "private";
		}
		if (interfaceProxy) {
			for (Class<?> ifc : ClassUtils.getAllInterfacesForClassAsSet(targetClass)) {
				if (ClassUtils.hasMethod(ifc, method.getName(), method.getParameterTypes())) {
					return null;
				}
			}
			return "not declared by an interface of the bean, which is proxied by its interfaces";
		}
		return Modifier.isFinal(modifiers) ? "final" : null;
	}

	/**
	 * A measured method: the name it is reported under, its door, and where it is
	 * declared (for error messages).
	 */
	record Measured(String name, String door, String declaredAt) {
	}

}
