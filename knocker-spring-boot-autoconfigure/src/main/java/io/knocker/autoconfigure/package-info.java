/**
 * Auto-configuration of Knocker's knockers from {@code knocker.*} properties.
 */
@NullMarked
package io.knocker.autoconfigure;

import org.jspecify.annotations.NullMarked;
