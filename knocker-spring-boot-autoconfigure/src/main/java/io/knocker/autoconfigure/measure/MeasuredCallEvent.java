package io.knocker.autoconfigure.measure;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * A JFR event for one measured call: the method, its door, the contention on the door
 * while it ran and the share of the call's time its thread spent waiting there; the
 * event's duration is the call's. Costs nothing while JFR has never been started in the
 * JVM, and one small object a call while it has but the event is off.
 */
@Name("io.knocker.MeasuredCall")
@Label("Measured Call")
@Category("Knocker")
@Description("A @KnockMeasured call: the contention on its door while it ran")
@StackTrace(false)
final class MeasuredCallEvent extends Event {

	@Label("Method")
	@Description("The name the call is reported under, such as OrderService.placeOrder")
	@Nullable String method;

	@Label("Door")
	@Description("The door the call was measured on")
	@Nullable String door;

	@Label("Contention")
	@Description("Time the knocks on the door waited over the time sampled during the call, 0 to 1")
	double contention;

	@Label("Waited")
	@Description("Share of the call's time its thread spent waiting at the door, 0 to 1; NaN where the door cannot tell")
	double waited;

	private MeasuredCallEvent() {
	}

	/**
	 * An event begun now, if a recording wants it.
	 * @return the event, or {@code null} when none would be recorded
	 */
	static @Nullable MeasuredCallEvent started() {
		if (!FlightRecorder.isInitialized()) {
			return null;
		}
		MeasuredCallEvent event = new MeasuredCallEvent();
		if (!event.isEnabled()) {
			return null;
		}
		event.begin();
		return event;
	}

	/**
	 * Ends the event now and commits it.
	 * @param method the name the call is reported under
	 * @param door the door's name
	 * @param contention the call's contention
	 * @param waited the share of the call's time its thread spent waiting at the door;
	 * empty where the door cannot tell
	 */
	void ended(String method, String door, double contention, java.util.OptionalDouble waited) {
		end();
		if (shouldCommit()) {
			this.method = method;
			this.door = door;
			this.contention = contention;
			this.waited = waited.orElse(Double.NaN);
			commit();
		}
	}

}
