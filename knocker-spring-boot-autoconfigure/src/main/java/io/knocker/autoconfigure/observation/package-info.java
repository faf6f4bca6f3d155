/**
 * Knocker in traces: a measured call's contention on the current observation.
 */
package io.knocker.autoconfigure.observation;
