package io.knocker.benchmarks;

import java.util.concurrent.TimeUnit;

import io.knocker.KnockMeasured;
import io.knocker.autoconfigure.KnockerAutoConfiguration;
import io.knocker.autoconfigure.measure.KnockMeasuredAutoConfiguration;
import io.knocker.autoconfigure.metrics.KnockerMetrics;
import io.knocker.autoconfigure.metrics.KnockerMetricsAutoConfiguration;
import io.micrometer.core.annotation.Timed;
import io.micrometer.core.aop.TimedAspect;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

/**
 * What {@code @KnockMeasured} costs per call, next to an unannotated call and
 * Micrometer's {@code @Timed}, each a trivial method of a Spring bean, with meters
 * recorded in both cases.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AnnotationBenchmark {

	private ConfigurableApplicationContext context;

	private Plain plain;

	private Measured measured;

	private MeasuredOnLock measuredOnLock;

	private TimedService timed;

	private long x;

	@Setup(Level.Trial)
	public void start() {
		this.context = new SpringApplicationBuilder(Config.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--logging.level.root=warn", "--knocker.doors.work-lock.bean=workLock");
		this.context.getBean(KnockerMetrics.class).bindTo(this.context.getBean(MeterRegistry.class));
		this.plain = this.context.getBean(Plain.class);
		this.measured = this.context.getBean(Measured.class);
		this.measuredOnLock = this.context.getBean(MeasuredOnLock.class);
		this.timed = this.context.getBean(TimedService.class);
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.context.close();
	}

	@Benchmark
	public long unannotated() {
		return this.plain.work(this.x++);
	}

	@Benchmark
	public long knockMeasured() {
		return this.measured.work(this.x++);
	}

	/**
	 * Measured on a lock door, which tells whether a call's thread waits at it: each call
	 * also takes a slot among the door's open calls.
	 */
	@Benchmark
	public long knockMeasuredOnLock() {
		return this.measuredOnLock.work(this.x++);
	}

	@Benchmark
	public long timed() {
		return this.timed.work(this.x++);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAspectJAutoProxy(proxyTargetClass = true)
	@ImportAutoConfiguration({ KnockerAutoConfiguration.class, KnockMeasuredAutoConfiguration.class,
			KnockerMetricsAutoConfiguration.class })
	static class Config {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		TimedAspect timedAspect(MeterRegistry registry) {
			return new TimedAspect(registry);
		}

		@Bean
		Plain plain() {
			return new Plain();
		}

		@Bean
		Measured measured() {
			return new Measured();
		}

		@Bean
		java.util.concurrent.locks.ReentrantLock workLock() {
			return new java.util.concurrent.locks.ReentrantLock();
		}

		@Bean
		MeasuredOnLock measuredOnLock() {
			return new MeasuredOnLock();
		}

		@Bean
		TimedService timedService() {
			return new TimedService();
		}

	}

	public static class Plain {

		public long work(long x) {
			return x * 31 + 7;
		}

	}

	public static class Measured {

		@KnockMeasured
		public long work(long x) {
			return x * 31 + 7;
		}

	}

	public static class MeasuredOnLock {

		@KnockMeasured(door = "work-lock")
		public long work(long x) {
			return x * 31 + 7;
		}

	}

	public static class TimedService {

		@Timed("timed.work")
		public long work(long x) {
			return x * 31 + 7;
		}

	}

}
