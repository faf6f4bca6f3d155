/**
 * Knocker's WebFlux sample: a small price service on Reactor Netty.
 */
package io.knocker.sample.webflux;
