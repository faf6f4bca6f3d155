package io.knocker.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link KnockerConfigurationException} as Spring Boot's "APPLICATION FAILED TO
 * START", naming the property and its value (as written, and where, when it is known) and
 * saying what to change.
 */
class KnockerFailureAnalyzer extends AbstractFailureAnalyzer<KnockerConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KnockerConfigurationException cause) {
		String origin = cause.getOrigin();
		// A property's value is quoted the way it is written in application.yml.
		String description = (origin != null)
				? String.format("Knocker is misconfigured:%n%n    %s: %s%n%s    Reason: %s", cause.getWhere(),
						cause.getValue(), origin.isEmpty() ? "" : String.format("    Origin: %s%n", origin),
						cause.getProblem())
				: String.format("Knocker is misconfigured:%n%n    %s%n    Value: %s%n    Reason: %s", cause.getWhere(),
						cause.getValue(), cause.getProblem());
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
