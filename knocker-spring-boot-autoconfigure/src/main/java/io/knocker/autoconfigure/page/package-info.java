/**
 * The contention page: {@code /actuator/knocker}, an actuator endpoint of its own that
 * serves a self-contained HTML page reading {@code /actuator/contention}.
 */
@NullMarked
package io.knocker.autoconfigure.page;

import org.jspecify.annotations.NullMarked;
