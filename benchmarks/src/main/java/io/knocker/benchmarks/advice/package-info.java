/**
 * The advice checked by a rerun (issue 40):
 * {@link io.knocker.benchmarks.advice.CapacityApp} queues its requests at a connection
 * pool, a semaphore or the server's workers;
 * {@link io.knocker.benchmarks.advice.AdviceCheck} loads it at a fixed rate, takes the
 * advice, restarts it at the advised size under the same load and compares the predicted
 * wait with the measured one; {@link io.knocker.benchmarks.advice.SamplePath} runs the
 * same requests through an ideal queue.
 */
package io.knocker.benchmarks.advice;
