/**
 * {@link io.knocker.KnockMeasured @KnockMeasured}: measuring the contention during each
 * call of a Spring bean's method.
 */
package io.knocker.autoconfigure.measure;
