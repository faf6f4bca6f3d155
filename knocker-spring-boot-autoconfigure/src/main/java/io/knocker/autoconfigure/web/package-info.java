/**
 * The {@code http} door: the embedded web server's request thread pool, knocked on from
 * when the server has started.
 */
@NullMarked
package io.knocker.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
