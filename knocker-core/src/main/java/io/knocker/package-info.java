/**
 * Knocker's core: {@link io.knocker.KnockKnock} knocks on a {@link io.knocker.Door} and
 * turns how long the knocks wait into a contention metric, after Python's gilknocker. No
 * dependencies.
 */
package io.knocker;
