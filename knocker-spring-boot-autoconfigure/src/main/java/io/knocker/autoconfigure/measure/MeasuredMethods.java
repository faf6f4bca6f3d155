package io.knocker.autoconfigure.measure;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;

import io.knocker.KnockKnock;
import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.KnockerConfigurationException;
import io.knocker.autoconfigure.Knockers;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The {@link KnockMeasured @KnockMeasured} methods of the application and their
 * contention, by name. A method annotated itself takes its own annotation; otherwise a
 * public method of an annotated class takes the class's, its value (if any) prefixing the
 * method's name.
 */
public final class MeasuredMethods {

	private static final Log logger = LogFactory.getLog(MeasuredMethods.class);

	/** A method that is not measured: never bound, never in the map by name. */
	private static final Entry NOT_MEASURED = new Entry(new MethodContention("(not measured)", "jvm"), void.class);

	private final Map<Class<?>, Map<Method, Entry>> byClass = new ConcurrentHashMap<>();

	private final Map<String, MethodContention> byName = new ConcurrentSkipListMap<>();

	private final Map<String, String> declaredAt = new ConcurrentHashMap<>();

	/** Every Listener bean, from when the methods are bound. */
	private volatile List<Listener> listeners = List.of();

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	private volatile @Nullable Knockers knockers;

	/**
	 * The measured methods by name, sorted.
	 * @return the methods' contention
	 */
	public Map<String, MethodContention> asMap() {
		return Collections.unmodifiableMap(this.byName);
	}

	/** Starts every method's figures over; the meters go on. */
	public void reset() {
		this.byName.values().forEach(MethodContention::reset);
	}

	/**
	 * Finds every measured method of a class, so that they are known before their first
	 * call.
	 */
	void registerAll(Class<?> targetClass, boolean interfaceProxy) {
		for (Method method : ReflectionUtils.getUniqueDeclaredMethods(targetClass,
				ReflectionUtils.USER_DECLARED_METHODS)) {
			String unreachable = MeasuredAnnotations.unreachable(targetClass, method, interfaceProxy);
			if (unreachable == null) {
				find(targetClass, method);
				continue;
			}
			// Never in the endpoint with calls: 0 forever; said once, at startup.
			this.byClass.computeIfAbsent(targetClass, (key) -> new ConcurrentHashMap<>()).put(method, NOT_MEASURED);
			String where = ClassUtils.getUserClass(targetClass).getName() + "." + method.getName() + "()";
			if (this.warned.add(where)) {
				logger.warn("@KnockMeasured on " + where + " is never measured: the method is " + unreachable
						+ ". A proxy sees only public, non-final, non-static methods called from outside the bean "
						+ "(as for @Transactional); make it one, or move the annotation to one.");
			}
		}
	}

	/**
	 * Binds every measured method to its door's knocker, and the calls to the listeners.
	 * @throws KnockerConfigurationException naming the method, if its door does not exist
	 */
	void bind(Knockers knockers, List<Listener> listeners) {
		for (Map<Method, Entry> methods : this.byClass.values()) {
			for (Entry entry : methods.values()) {
				if (entry != NOT_MEASURED && knockers.get(entry.contention.getDoor()) == null) {
					String door = entry.contention.getDoor();
					throw new KnockerConfigurationException(
							"@KnockMeasured(door) on " + this.declaredAt.get(entry.contention.getName()), door,
							"no door is named '" + door + "'; the doors are " + knockers.asMap().keySet(),
							"Add the door under knocker.doors." + door + " (with the bean to knock on), "
									+ "or name one of " + knockers.asMap().keySet() + " in the annotation.");
				}
			}
		}
		this.listeners = List.copyOf(listeners);
		this.knockers = knockers;
	}

	/**
	 * The method's contention and knocker, or {@code null} when it is not measured (or
	 * not yet).
	 */
	@Nullable Entry find(Class<?> targetClass, Method method) {
		// Plain gets first: this runs on every measured call, and computeIfAbsent may
		// lock a bin.
		Map<Method, Entry> methods = this.byClass.get(targetClass);
		if (methods == null) {
			methods = this.byClass.computeIfAbsent(targetClass, (key) -> new ConcurrentHashMap<>());
		}
		Entry entry = methods.get(method);
		if (entry == null) {
			entry = methods.computeIfAbsent(method, (key) -> resolve(targetClass, key));
		}
		if (entry == NOT_MEASURED) {
			return null;
		}
		if (entry.knocker == null) {
			Knockers knockers = this.knockers;
			KnockKnock knocker = (knockers != null) ? knockers.get(entry.contention.getDoor()) : null;
			if (knocker == null) {
				return null;
			}
			entry.knocker = knocker;
		}
		return entry;
	}

	void measured(MethodContention method, double contention, OptionalDouble waited) {
		for (Listener listener : this.listeners) {
			listener.measured(method, contention, waited);
		}
	}

	private Entry resolve(Class<?> targetClass, Method method) {
		MeasuredAnnotations.Measured measured = MeasuredAnnotations.measured(targetClass, method);
		if (measured == null) {
			return NOT_MEASURED;
		}
		this.declaredAt.putIfAbsent(measured.name(), measured.declaredAt());
		return new Entry(
				this.byName.computeIfAbsent(measured.name(), (key) -> new MethodContention(key, measured.door())),
				method.getReturnType());
	}

	/**
	 * Told of every sampled call's contention and own wait, for example to record them in
	 * meters: every bean of this type is, from when the application has started.
	 */
	@FunctionalInterface
	public interface Listener {

		/**
		 * A call of the method was measured.
		 * @param method the method
		 * @param contention the call's contention, from 0 to 1
		 * @param waited the share of the call's time its thread spent waiting at the
		 * door, from 0 to 1; empty where the door cannot tell
		 */
		void measured(MethodContention method, double contention, OptionalDouble waited);

	}

	static final class Entry {

		final MethodContention contention;

		/** Whether it returns a {@code CompletionStage}: measured to its completion. */
		final boolean async;

		/**
		 * Whether it returns a reactive type: measured per subscription, never as a call
		 * on the thread that assembles it.
		 */
		final boolean reactive;

		/**
		 * Whether it is declared to return {@code Object}: a reactive result is known
		 * only once returned.
		 */
		final boolean untyped;

		/** Its door's knocker, once bound. */
		volatile @Nullable KnockKnock knocker;

		Entry(MethodContention contention, Class<?> returnType) {
			this.contention = contention;
			this.async = CompletionStage.class.isAssignableFrom(returnType);
			this.reactive = !this.async && returnType != Object.class
					&& ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null;
			this.untyped = returnType == Object.class;
		}

		/** The knocker of an entry {@link #find} returned, which is always bound. */
		KnockKnock knocker() {
			KnockKnock knocker = this.knocker;
			if (knocker == null) {
				throw new IllegalStateException(this.contention.getName() + " is not bound to its door yet");
			}
			return knocker;
		}

	}

}
