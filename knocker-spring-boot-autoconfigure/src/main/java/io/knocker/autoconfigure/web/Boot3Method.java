package io.knocker.autoconfigure.web;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * A getter of a Spring Boot 3.5 class, called by name: Knocker is built against Boot 4,
 * where the class is gone or moved. Resolved once; a call costs a reflective invocation,
 * made once per door at startup.
 *
 * @param <T> what the getter returns
 */
final class Boot3Method<T> {

	private final Class<?> owner;

	private final Method method;

	private final Class<T> result;

	/**
	 * Resolves the getter.
	 * @param owner the Boot 3.5 class's name
	 * @param method the getter's name
	 * @param result what it returns
	 * @throws IllegalStateException if the class or its getter is missing
	 */
	Boot3Method(String owner, String method, Class<T> result) {
		this.owner = ClassUtils.resolveClassName(owner, Boot3Method.class.getClassLoader());
		Method found = ReflectionUtils.findMethod(this.owner, method);
		if (found == null || !result.isAssignableFrom(found.getReturnType())) {
			throw new IllegalStateException(owner + " has no " + method + "() returning " + result.getName());
		}
		this.method = found;
		this.result = result;
	}

	/**
	 * Calls the getter.
	 * @param target any object
	 * @return what the getter returns, or {@code null} if the target is not of the class
	 */
	@Nullable T get(Object target) {
		if (!this.owner.isInstance(target)) {
			return null;
		}
		return this.result.cast(ReflectionUtils.invokeMethod(this.method, target));
	}

}
