package io.knocker.autoconfigure;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.knocker.Door;
import io.knocker.KnockKnock;
import io.knocker.KnockSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Every knocker of the application, by name: the {@code jvm} knocker, one per configured
 * or automatic door, any {@link KnockKnock} bean of the application's own, and doors that
 * appear late (the {@code http} door, once the web server has started). Starts them with
 * the context (before the web server takes requests) and stops them as soon as the
 * context starts closing, before executors and web servers shut down, so that no knock is
 * refused by a pool that is going away.
 */
public class Knockers implements SmartLifecycle, DisposableBean, ApplicationListener<ContextClosedEvent>,
		ApplicationContextAware, Ordered {

	/** The name of the knocker on the JVM itself. */
	public static final String JVM = "jvm";

	private final Object monitor = new Object();

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private volatile Map<String, KnockKnock> byName = Collections.emptyMap();

	private volatile boolean running;

	private final KnockSettings autoDoorSettings;

	private @Nullable ApplicationContext context;

	/**
	 * Creates a registry of knockers.
	 * @param knockers the knockers, with distinct names
	 * @param autoDoorSettings the settings of doors added later by {@link #addDoor}, but
	 * for their names: the top-level {@code knocker.*} properties'
	 * @throws KnockerConfigurationException if two share a name
	 */
	public Knockers(List<KnockKnock> knockers, KnockSettings autoDoorSettings) {
		this.autoDoorSettings = autoDoorSettings;
		knockers.forEach(this::put);
	}

	/**
	 * Adds a knocker, started at once if the others are running; listeners are told.
	 * @param knocker the knocker, named unlike the others
	 * @throws KnockerConfigurationException if another has its name
	 */
	public void add(KnockKnock knocker) {
		synchronized (this.monitor) {
			put(knocker);
			if (this.running) {
				knocker.start();
			}
		}
		this.listeners.forEach((listener) -> listener.added(knocker));
	}

	/**
	 * Adds a knocker on a door found late (such as the web server's request pool), with
	 * the top-level settings, as every automatic door has.
	 * @param name the door's name
	 * @param door the door
	 * @throws KnockerConfigurationException if another knocker has the name
	 */
	public void addDoor(String name, Door door) {
		add(KnockerFactory.auto(name, door, this.autoDoorSettings));
	}

	private void put(KnockKnock knocker) {
		synchronized (this.monitor) {
			Map<String, KnockKnock> byName = new LinkedHashMap<>(this.byName);
			KnockKnock clash = byName.putIfAbsent(knocker.getName(), knocker);
			if (clash != null && clash != knocker) {
				throw new KnockerConfigurationException("knocker.doors." + knocker.getName(), knocker.getName(),
						"two knockers are named '" + knocker.getName() + "'",
						"Rename the door in knocker.doors, or the KnockKnock or Door bean of the same name.");
			}
			this.byName = Collections.unmodifiableMap(byName);
		}
	}

	/**
	 * Tells the listener of every knocker added from now on.
	 * @param listener the listener
	 */
	public void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	/**
	 * The knocker of that name.
	 * @param name the knocker's name, such as {@code jvm}
	 * @return the knocker, or {@code null} if none has that name
	 */
	public @Nullable KnockKnock get(String name) {
		return this.byName.get(name);
	}

	/**
	 * All knockers by name, in the order they were added.
	 * @return the knockers now
	 */
	public Map<String, KnockKnock> asMap() {
		return this.byName;
	}

	/**
	 * All knockers.
	 * @return the knockers now
	 */
	public Collection<KnockKnock> all() {
		return this.byName.values();
	}

	@Override
	public void start() {
		synchronized (this.monitor) {
			this.byName.values().forEach(KnockKnock::start);
			this.running = true;
		}
	}

	@Override
	public void stop() {
		synchronized (this.monitor) {
			this.running = false;
			this.byName.values().forEach(KnockKnock::stop);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// Web servers start late (phases near Integer.MAX_VALUE): knock from before them.
		return 0;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public int getOrder() {
		// Before the executors, which start shutting down on the same event.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		// Published before any lifecycle stops: executors and the web server still run.
		if (event.getApplicationContext() == this.context) {
			stop();
		}
	}

	@Override
	public void destroy() {
		stop();
	}

	/** Told of knockers added after startup, such as the {@code http} door's. */
	@FunctionalInterface
	public interface Listener {

		/**
		 * A knocker was added.
		 * @param knocker the knocker
		 */
		void added(KnockKnock knocker);

	}

}
