package io.knocker.autoconfigure;

/**
 * Knocker's configuration cannot work: names where (a property, or an annotated method),
 * the value, what is wrong and how to fix it. {@link KnockerFailureAnalyzer} turns it
 * into Spring Boot's "APPLICATION FAILED TO START" report.
 */
public class KnockerConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String where;

	private final String value;

	private final String problem;

	private final String action;

	/**
	 * Creates a new exception.
	 * @param where the property, or the annotated method, at fault
	 * @param value the value at fault, as the user wrote it
	 * @param problem what is wrong with it
	 * @param action what to do about it
	 */
	public KnockerConfigurationException(String where, Object value, String problem, String action) {
		super(where + " = " + value + ": " + problem);
		this.where = where;
		this.value = String.valueOf(value);
		this.problem = problem;
		this.action = action;
	}

	public String getWhere() {
		return this.where;
	}

	public String getValue() {
		return this.value;
	}

	public String getProblem() {
		return this.problem;
	}

	public String getAction() {
		return this.action;
	}

}
