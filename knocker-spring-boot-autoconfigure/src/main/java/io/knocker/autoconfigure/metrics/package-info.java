/**
 * Knocker's Micrometer meters.
 */
package io.knocker.autoconfigure.metrics;
