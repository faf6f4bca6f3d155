/**
 * JMH benchmarks of Knocker's overhead and the annotation's cost, and an accuracy
 * harness.
 */
package io.knocker.benchmarks;
