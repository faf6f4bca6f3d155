package io.knocker.autoconfigure.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

import io.knocker.KnockKnock;
import io.knocker.KnockSnapshot;
import io.knocker.autoconfigure.Knockers;
import io.knocker.autoconfigure.measure.MeasuredMethods;
import io.knocker.autoconfigure.measure.MethodContention;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Knocker's meters: per door, {@code knocker.contention} (gauge, since reset) and the
 * monotonic {@code knocker.contended} and {@code knocker.sampled} seconds, whose rates
 * divide into the contention over any range, exactly across scrapes and resets; per
 * measured method, {@code knocker.method.contention}, one value per sampled call, and
 * {@code knocker.method.waited}, the call's own wait where the door can tell.
 */
public class KnockerMetrics implements MeterBinder, MeasuredMethods.Listener, Knockers.Listener {

	private final Knockers knockers;

	private final @Nullable MeasuredMethods methods;

	private final Set<MeterRegistry> registries = ConcurrentHashMap.newKeySet();

	private final PerCall contention = new PerCall("knocker.method.contention", "contention",
			"Contention on the door during each sampled call of the method");

	private final PerCall waited = new PerCall("knocker.method.waited", "waited share",
			"Share of each sampled call's time that its thread spent waiting at the door, where the door can tell");

	/**
	 * Creates the binder.
	 * @param knockers the knockers to meter
	 * @param methods the measured methods to meter, or {@code null}
	 */
	public KnockerMetrics(Knockers knockers, @Nullable MeasuredMethods methods) {
		this.knockers = knockers;
		this.methods = methods;
		knockers.addListener(this);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		// Known before the doors are bound, so that a door added meanwhile is bound too
		// (binding twice finds the meters already there).
		this.registries.add(registry);
		for (KnockKnock knocker : this.knockers.all()) {
			bindDoor(registry, knocker);
		}
		Collection<MethodContention> methods = (this.methods != null) ? this.methods.asMap().values() : List.of();
		this.contention.bindTo(registry, methods);
		// Only where the door can tell, which the methods' first calls have shown.
		this.waited.bindTo(registry, methods.stream().filter((method) -> method.getWaitedCalls() > 0).toList());
	}

	@Override
	public void added(KnockKnock knocker) {
		// A door that appeared late (the http door): meters in every registry bound so
		// far.
		this.registries.forEach((registry) -> bindDoor(registry, knocker));
	}

	private static void bindDoor(MeterRegistry registry, KnockKnock knocker) {
		String door = knocker.getName();
		Gauge.builder("knocker.contention", knocker, KnockKnock::getContentionMetric)
			.description("Time the knocks on the door waited over time sampled, since start or reset")
			.tag("door", door)
			.strongReference(true)
			.register(registry);
		counter(registry, "knocker.contended", "Time the knocks on the door waited", knocker,
				KnockSnapshot::contendedNanos);
		counter(registry, "knocker.sampled", "Time the knocker on the door sampled", knocker,
				KnockSnapshot::sampledNanos);
		FunctionCounter.builder("knocker.knocks.failed", knocker, (k) -> k.snapshot().failedKnocks())
			.description("Knocks on the door that threw instead of getting through, such as a rejecting executor's")
			.tag("door", door)
			.register(registry);
		FunctionCounter.builder("knocker.knocks", knocker, (k) -> k.snapshot().knocks())
			.description("Knocks on the door")
			.tag("door", door)
			.register(registry);
		FunctionCounter.builder("knocker.knocks.busy", knocker, (k) -> k.snapshot().busyKnocks())
			.description("Knocks that found the door taken; over knocks, the door's busy ratio")
			.tag("door", door)
			.register(registry);
		if (knocker.countsGcPauses()) {
			counter(registry, "knocker.gc.pause",
					"Stop-the-world pause time the JVM reported, counted in knocker.contended", knocker,
					KnockSnapshot::gcPauseNanos);
		}
	}

	@Override
	public void measured(MethodContention method, double contention, OptionalDouble waited) {
		this.contention.record(method, contention);
		if (waited.isPresent()) {
			this.waited.record(method, waited.getAsDouble());
		}
	}

	private static void counter(MeterRegistry registry, String name, String description, KnockKnock knocker,
			ToLongFunction<KnockSnapshot> nanos) {
		// A knock's wait is read while under way; the high-water mark keeps every reading
		// monotonic.
		AtomicLong highWater = new AtomicLong();
		FunctionCounter
			.builder(name, knocker, (k) -> highWater.accumulateAndGet(nanos.applyAsLong(k.snapshot()), Math::max) / 1e9)
			.description(description)
			.baseUnit("seconds")
			.tag("door", knocker.getName())
			.register(registry);
	}

	/**
	 * One per-call figure's meters, per method, made at the method's first value or when
	 * a registry is bound: in a Prometheus registry a histogram
	 * ({@link PrometheusHistogram}); in any other, a distribution summary and the fixed
	 * buckets beside it. A composite registry's own registries are bound one by one, as
	 * each needs its own.
	 */
	private final class PerCall {

		private static final boolean PROMETHEUS = ClassUtils
			.isPresent("io.micrometer.prometheusmetrics.PrometheusMeterRegistry", PerCall.class.getClassLoader());

		private final String meter;

		private final String figure;

		private final String description;

		private final Map<MeterRegistry, Map<String, DistributionSummary>> summaries = new ConcurrentHashMap<>();

		private final Map<MeterRegistry, PrometheusHistogram> histograms = new ConcurrentHashMap<>();

		private final Map<String, ContentionBuckets> buckets = new ConcurrentHashMap<>();

		PerCall(String meter, String figure, String description) {
			this.meter = meter;
			this.figure = figure;
			this.description = description;
		}

		void bindTo(MeterRegistry registry, Iterable<MethodContention> methods) {
			if (registry instanceof CompositeMeterRegistry composite) {
				composite.getRegistries().forEach((each) -> bindTo(each, methods));
				return;
			}
			if (PROMETHEUS && PrometheusHistogram.serves(registry)) {
				if (!this.histograms.containsKey(registry)) {
					PrometheusHistogram histogram = PrometheusHistogram.register(registry, this.meter,
							this.description);
					if (histogram != null) {
						this.histograms.put(registry, histogram);
					}
				}
			}
			else {
				this.summaries.computeIfAbsent(registry, (key) -> new ConcurrentHashMap<>());
			}
			for (MethodContention method : methods) {
				this.histograms.forEach((each, histogram) -> histogram.method(method.getName(), method.getDoor()));
				this.summaries.forEach((each, summaries) -> summary(each, summaries, method));
			}
		}

		void record(MethodContention method, double value) {
			buckets(method).record(value);
			this.summaries.forEach((registry, summaries) -> summary(registry, summaries, method).record(value));
			this.histograms
				.forEach((registry, histogram) -> histogram.method(method.getName(), method.getDoor()).observe(value));
		}

		private ContentionBuckets buckets(MethodContention method) {
			ContentionBuckets buckets = this.buckets.get(method.getName());
			return (buckets != null) ? buckets
					: this.buckets.computeIfAbsent(method.getName(), (name) -> new ContentionBuckets());
		}

		private DistributionSummary summary(MeterRegistry registry, Map<String, DistributionSummary> summaries,
				MethodContention method) {
			DistributionSummary summary = summaries.get(method.getName());
			if (summary == null) {
				summary = summaries.computeIfAbsent(method.getName(), (name) -> {
					buckets(method).register(registry, this.meter, this.figure, name, method.getDoor());
					return DistributionSummary.builder(this.meter)
						.description(this.description)
						.tag("method", name)
						.tag("door", method.getDoor())
						.register(registry);
				});
			}
			return summary;
		}

	}

}
