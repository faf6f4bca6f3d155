package io.knocker.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link KnockerConfigurationException} as Spring Boot's "APPLICATION FAILED TO
 * START", naming the property and its value and saying what to change.
 */
class KnockerFailureAnalyzer extends AbstractFailureAnalyzer<KnockerConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, KnockerConfigurationException cause) {
		String description = String.format("Knocker is misconfigured:%n%n    %s%n    Value: %s%n    Reason: %s",
				cause.getWhere(), cause.getValue(), cause.getProblem());
		return new FailureAnalysis(description, cause.getAction(), cause);
	}

}
