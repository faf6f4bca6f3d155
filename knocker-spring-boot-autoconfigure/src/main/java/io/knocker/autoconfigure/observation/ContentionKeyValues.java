package io.knocker.autoconfigure.observation;

import java.util.OptionalDouble;

import io.knocker.autoconfigure.measure.MeasuredMethods;
import io.knocker.autoconfigure.measure.MethodContention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Adds a measured call's contention, own wait (where the door can tell) and door, as the
 * high-cardinality key values {@code knocker.contention}, {@code knocker.waited} and
 * {@code knocker.door}, to the observation current when the call ends: the request's
 * span, in a tracing UI.
 */
public class ContentionKeyValues implements MeasuredMethods.Listener {

	private final ObjectProvider<ObservationRegistry> registry;

	/**
	 * Creates the listener.
	 * @param registry the observation registry, looked up when a call ends
	 */
	public ContentionKeyValues(ObjectProvider<ObservationRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void measured(MethodContention method, double contention, OptionalDouble waited) {
		ObservationRegistry registry = this.registry.getIfAvailable();
		Observation current = (registry != null) ? registry.getCurrentObservation() : null;
		if (current != null) {
			current.highCardinalityKeyValue("knocker.contention", rounded(contention))
				.highCardinalityKeyValue("knocker.door", method.getDoor());
			if (waited.isPresent()) {
				current.highCardinalityKeyValue("knocker.waited", rounded(waited.getAsDouble()));
			}
		}
	}

	private static String rounded(double share) {
		return Double.toString(Math.round(share * 1000) / 1000.0);
	}

}
