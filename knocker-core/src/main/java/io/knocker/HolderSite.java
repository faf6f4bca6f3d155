package io.knocker;

import java.util.List;

/**
 * Where a busy door's holder was when sampled: its top frames, how many of the door's
 * holder samples found it there, their share, and a few of the threads seen there.
 *
 * @param frames the holder's top frames, innermost first, such as
 * {@code com.acme.Inventory.reserve(Inventory.java:42)}; {@code ["(unknown)"]} when the
 * JVM could not name the holder (a virtual thread, a lock without an owner)
 * @param samples holder samples at this site since the last reset
 * @param share this site's samples over all the door's holder samples, 0 to 1
 * @param threads a few names of the threads sampled here
 */
public record HolderSite(List<String> frames, long samples, double share, List<String> threads) {

	/** The frames of a holder the JVM could not name. */
	public static final List<String> UNKNOWN = List.of("(unknown)");

}
