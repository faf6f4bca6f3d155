/**
 * Knocker's sample app: a shop whose checkout queues on a lock.
 */
package io.knocker.sample;
