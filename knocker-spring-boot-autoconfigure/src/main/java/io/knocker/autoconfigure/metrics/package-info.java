/**
 * Knocker's Micrometer meters.
 */
@NullMarked
package io.knocker.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
