package io.knocker;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event for each of a door's sampling windows: the door, and the contention and
 * busy ratio over the window; the event's duration is the window's. The knock loop
 * allocates one only while a recording has the event on.
 */
@Name("io.knocker.Window")
@Label("Knock Window")
@Category("Knocker")
@Description("A sampling window of a Knocker door: how contended the door was over it")
@StackTrace(false)
final class WindowEvent extends Event {

	private static volatile EventType type;

	@Label("Door")
	String door;

	@Label("Contention")
	@Description("Time the knocks waited over the time sampled in the window, 0 to 1")
	double contention;

	@Label("Busy Ratio")
	@Description("Share of the window's knocks that found the door taken")
	double busyRatio;

	static boolean isRecorded() {
		if (!FlightRecorder.isInitialized()) {
			return false;
		}
		EventType type = WindowEvent.type;
		if (type == null) {
			type = EventType.getEventType(WindowEvent.class);
			WindowEvent.type = type;
		}
		return type.isEnabled();
	}

}
