/**
 * The {@code /actuator/contention} endpoint.
 */
package io.knocker.autoconfigure.endpoint;
