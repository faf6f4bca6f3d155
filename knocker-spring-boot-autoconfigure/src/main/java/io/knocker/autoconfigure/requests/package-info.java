/**
 * Following every web request, with no annotation: the time each spent waiting at each
 * door, booked per endpoint, shown in the endpoint, the meters and the request's trace.
 */
@NullMarked
package io.knocker.autoconfigure.requests;

import org.jspecify.annotations.NullMarked;
