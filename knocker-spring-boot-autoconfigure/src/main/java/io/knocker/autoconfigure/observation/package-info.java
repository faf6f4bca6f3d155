/**
 * Knocker in traces: a measured call's contention on the current observation.
 */
@NullMarked
package io.knocker.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
