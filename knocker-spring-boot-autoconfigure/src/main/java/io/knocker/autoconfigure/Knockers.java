package io.knocker.autoconfigure;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.knocker.KnockKnock;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Every knocker of the application, by name: the {@code jvm} knocker, one per configured
 * door, and any {@link KnockKnock} bean of the application's own. Starts them with the
 * context (before the web server takes requests) and stops them when it closes (after the
 * web server stops), each stop bounded by its knocker's timeout.
 */
public class Knockers implements SmartLifecycle, DisposableBean {

	/** The name of the knocker on the JVM itself. */
	public static final String JVM = "jvm";

	private final Map<String, KnockKnock> byName;

	private volatile boolean running;

	/**
	 * Creates a registry of knockers.
	 * @param knockers the knockers, with distinct names
	 * @throws KnockerConfigurationException if two share a name
	 */
	public Knockers(List<KnockKnock> knockers) {
		Map<String, KnockKnock> byName = new LinkedHashMap<>();
		for (KnockKnock knocker : knockers) {
			KnockKnock clash = byName.putIfAbsent(knocker.getName(), knocker);
			if (clash != null && clash != knocker) {
				throw new KnockerConfigurationException("knocker.doors." + knocker.getName(), knocker.getName(),
						"two knockers are named '" + knocker.getName() + "'",
						"Rename the door in knocker.doors, or the KnockKnock bean of the same name.");
			}
		}
		this.byName = Collections.unmodifiableMap(byName);
	}

	/**
	 * The knocker of that name.
	 * @param name the knocker's name, such as {@code jvm}
	 * @return the knocker, or {@code null} if none has that name
	 */
	public KnockKnock get(String name) {
		return this.byName.get(name);
	}

	/**
	 * All knockers by name, in the order they were configured.
	 * @return the knockers
	 */
	public Map<String, KnockKnock> asMap() {
		return this.byName;
	}

	/**
	 * All knockers.
	 * @return the knockers
	 */
	public Collection<KnockKnock> all() {
		return this.byName.values();
	}

	@Override
	public void start() {
		this.byName.values().forEach(KnockKnock::start);
		this.running = true;
	}

	@Override
	public void stop() {
		this.byName.values().forEach(KnockKnock::stop);
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Web servers start late and stop early (phases near Integer.MAX_VALUE): knock
		// around them.
		return 0;
	}

	@Override
	public void destroy() {
		stop();
	}

}
