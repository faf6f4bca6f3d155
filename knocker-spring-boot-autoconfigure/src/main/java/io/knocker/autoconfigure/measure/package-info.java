/**
 * {@link io.knocker.KnockMeasured @KnockMeasured}: measuring the contention during each
 * call of a Spring bean's method.
 */
@NullMarked
package io.knocker.autoconfigure.measure;

import org.jspecify.annotations.NullMarked;
