/**
 * The {@code /actuator/contention} endpoint.
 */
@NullMarked
package io.knocker.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
