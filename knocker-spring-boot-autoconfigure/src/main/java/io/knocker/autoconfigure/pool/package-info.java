/**
 * Connection pools as doors: one
 * {@link io.knocker.autoconfigure.pool.ConnectionPoolDoors} bean per kind of pool, and
 * how a data source bean finds its pool.
 */
@NullMarked
package io.knocker.autoconfigure.pool;

import org.jspecify.annotations.NullMarked;
