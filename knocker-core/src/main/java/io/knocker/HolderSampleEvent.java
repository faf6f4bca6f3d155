package io.knocker;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A JFR event for each sample of who holds a busy lock or monitor door. */
@Name("io.knocker.HolderSample")
@Label("Holder Sample")
@Category("Knocker")
@Description("Where the holder of a busy Knocker door was when sampled")
@StackTrace(false)
final class HolderSampleEvent extends Event {

	private static volatile EventType type;

	@Label("Door")
	String door;

	@Label("Thread")
	@Description("The holder thread's name, or (unknown)")
	String thread;

	@Label("Top Frame")
	@Description("The holder's innermost frame, or (unknown) when the JVM could not name it")
	String topFrame;

	static boolean isRecorded() {
		if (!FlightRecorder.isInitialized()) {
			return false;
		}
		EventType type = HolderSampleEvent.type;
		if (type == null) {
			type = EventType.getEventType(HolderSampleEvent.class);
			HolderSampleEvent.type = type;
		}
		return type.isEnabled();
	}

}
