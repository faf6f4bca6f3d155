package io.knocker.autoconfigure.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.noop.NoopGauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Labels;
import org.jspecify.annotations.Nullable;

/**
 * A per-call share (contention, waited) as a Prometheus histogram of its own: the
 * {@code _bucket} series with an {@code le} label every 0.05 over 0-1, {@code _sum} and
 * {@code _count}, which {@code histogram_quantile} reads and which aggregate across a
 * fleet. Micrometer's own histograms cannot hold these values (they round each value up
 * to a whole number, so every call would land in {@code le="1.0"}), so on a Prometheus
 * registry the histogram is registered with the Prometheus client Micrometer itself
 * writes to, named as Micrometer would name the summary, with the registry's common tags.
 * Loaded only where Micrometer's Prometheus registry is.
 */
final class PrometheusHistogram {

	private final Histogram histogram;

	private final Map<String, DistributionDataPoint> methods = new ConcurrentHashMap<>();

	private PrometheusHistogram(Histogram histogram) {
		this.histogram = histogram;
	}

	/** Whether the registry is Micrometer's Prometheus registry. */
	static boolean serves(MeterRegistry registry) {
		return registry instanceof PrometheusMeterRegistry;
	}

	/**
	 * The histogram of a per-call meter in a Prometheus registry; {@code null} if the
	 * registry's filters deny the meter.
	 */
	static @Nullable PrometheusHistogram register(MeterRegistry registry, String meter, String description) {
		// The registry's filters (common tags, denials) are not readable: a short-lived
		// gauge of the same family shows what they make of it.
		Gauge probe = Gauge.builder(meter + ".labels", () -> 0).register(registry);
		registry.remove(probe);
		if (!(probe instanceof NoopGauge)) {
			Labels common = Labels.EMPTY;
			for (Tag tag : probe.getId().getTagsAsIterable()) {
				common = common.add(registry.config().namingConvention().tagKey(tag.getKey()), tag.getValue());
			}
			Histogram histogram = Histogram.builder()
				.name(registry.config().namingConvention().name(meter, Meter.Type.DISTRIBUTION_SUMMARY))
				.help(description)
				.labelNames("method", "door")
				.constLabels(common)
				.classicUpperBounds(ContentionBuckets.bounds())
				.classicOnly()
				.withoutExemplars()
				.build();
			((PrometheusMeterRegistry) registry).getPrometheusRegistry().register(histogram);
			return new PrometheusHistogram(histogram);
		}
		return null;
	}

	/** The method's series, made at its first call or when the registry is bound. */
	DistributionDataPoint method(String method, String door) {
		DistributionDataPoint point = this.methods.get(method);
		return (point != null) ? point
				: this.methods.computeIfAbsent(method, (name) -> this.histogram.labelValues(name, door));
	}

}
