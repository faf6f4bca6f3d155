package io.knocker;

/**
 * Thrown when a {@link KnockKnock} setting is invalid; names the setting and its value,
 * so that an integration can point at the property the user wrote.
 */
public final class InvalidSettingException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	/** The setting, as the builder method is named. */
	private final String setting;

	private final transient Object value;

	/** What the setting must be, as the message words it. */
	private final String requirement;

	InvalidSettingException(String setting, Object value, String requirement) {
		super(setting + " must " + requirement + ", was " + value);
		this.setting = setting;
		this.value = value;
		this.requirement = requirement;
	}

	/**
	 * The setting, as the builder method is named, such as {@code samplingInterval}.
	 * @return the setting
	 */
	public String getSetting() {
		return this.setting;
	}

	/**
	 * The value refused.
	 * @return the value, possibly {@code null}
	 */
	public Object getValue() {
		return this.value;
	}

	/**
	 * What the setting must be, such as {@code be a positive duration}.
	 * @return the requirement
	 */
	public String getRequirement() {
		return this.requirement;
	}

}
