package io.knocker;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Measures the contention on a door during each call of the annotated method, or of every
 * public method of the annotated class: each call opens its own {@link MeasuredCall}.
 * Needs the Knocker Spring Boot starter (or another integration) to take effect.
 *
 * <pre>{@code
 * &#64;KnockMeasured(value = "checkout", door = "inventory-lock")
 * public Order placeOrder(Cart cart) { ... }
 * }</pre>
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface KnockMeasured {

	/**
	 * The name the calls are reported under; by default {@code ClassSimpleName.method}.
	 * @return the name
	 */
	String value() default "";

	/**
	 * The name of the door (the knocker) to measure on.
	 * @return the door's name
	 */
	String door() default "jvm";

}
