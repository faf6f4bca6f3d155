package io.knocker.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Knocker's configuration cannot work: names where (a property, or an annotated method),
 * the value, what is wrong and how to fix it. {@link KnockerFailureAnalyzer} turns it
 * into Spring Boot's "APPLICATION FAILED TO START" report.
 */
public class KnockerConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** The property, or the annotated method, at fault. */
	private final String where;

	/** The value at fault, as the user wrote it. */
	private final String value;

	/** What is wrong with the value. */
	private final String problem;

	/** What to do about it. */
	private final String action;

	/** Where the value was written, when it is quoted as written. */
	private final @Nullable String origin;

	/**
	 * Creates a new exception.
	 * @param where the property, or the annotated method, at fault
	 * @param value the value at fault, as the user wrote it
	 * @param problem what is wrong with it
	 * @param action what to do about it
	 */
	public KnockerConfigurationException(String where, @Nullable Object value, String problem, String action) {
		this(where, value, problem, action, null);
	}

	private KnockerConfigurationException(String where, @Nullable Object value, String problem, String action,
			@Nullable String origin) {
		super(where + " = " + value + ": " + problem);
		this.where = where;
		this.value = String.valueOf(value);
		this.problem = problem;
		this.action = action;
		this.origin = origin;
	}

	/**
	 * The same failure, its value quoted as the user wrote it and where.
	 * @param written the value as written, before any conversion
	 * @param origin where it was written, such as a file and line, if known
	 * @return a new exception
	 */
	public KnockerConfigurationException asWritten(@Nullable Object written, @Nullable Object origin) {
		return new KnockerConfigurationException(this.where, written, this.problem, this.action,
				(origin != null) ? origin.toString() : "");
	}

	/**
	 * The property, or the annotated method, at fault.
	 * @return the where
	 */
	public String getWhere() {
		return this.where;
	}

	/**
	 * The value at fault, as the user wrote it.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * What is wrong with the value.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * Where the value was written (a file and line, a property source), when the value is
	 * quoted as written; empty when that is not known.
	 * @return the origin, or {@code null} when the value is not quoted as written
	 */
	public @Nullable String getOrigin() {
		return this.origin;
	}

	/**
	 * What to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
