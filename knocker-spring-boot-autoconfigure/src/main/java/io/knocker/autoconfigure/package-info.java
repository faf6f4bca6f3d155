/**
 * Auto-configuration of Knocker's knockers from {@code knocker.*} properties.
 */
package io.knocker.autoconfigure;
