package io.knocker.autoconfigure.measure;

import java.util.OptionalDouble;
import java.util.concurrent.CompletionStage;

import io.knocker.MeasuredCall;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;

/**
 * Opens a {@link MeasuredCall} around each call of a measured method and books its
 * contention, and its own wait where the door can tell, when the call ends (a
 * {@link CompletionStage} result: when it completes; a {@code Mono}, {@code Flux} or
 * other reactive result: from each subscription to its completion, error or
 * cancellation). Calls that end off their thread are opened asynchronously: they take no
 * look from the calls on threads and have no waited figure. The call's result and
 * exceptions pass through unchanged; a failure to measure is logged once and never
 * reaches the caller.
 */
final class KnockMeasuredInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(KnockMeasuredInterceptor.class);

	/**
	 * Reactive results are measured per subscription where Reactor is; nothing of it
	 * loads otherwise.
	 */
	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Flux",
			KnockMeasuredInterceptor.class.getClassLoader());

	private final MeasuredMethods methods;

	private volatile boolean failureLogged;

	KnockMeasuredInterceptor(MeasuredMethods methods) {
		this.methods = methods;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		MeasuredMethods.Entry entry = null;
		MeasuredCall call = null;
		MeasuredCallEvent event = null;
		try {
			Object target = invocation.getThis();
			Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target)
					: invocation.getMethod().getDeclaringClass();
			entry = this.methods.find(targetClass, invocation.getMethod());
			// A declared CompletionStage is measured to completion: no one thread waits
			// for it, so none is looked at.
			if (entry != null && !(entry.reactive && REACTOR_PRESENT)) {
				call = entry.async ? entry.knocker().openAsync() : entry.knocker().open();
				event = MeasuredCallEvent.started();
			}
		}
		catch (RuntimeException ex) {
			failedToMeasure(ex);
		}
		if (entry != null && entry.reactive && REACTOR_PRESENT) {
			return measureReactive(entry, invocation.proceed());
		}
		if (entry == null || call == null) {
			return invocation.proceed();
		}
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			record(entry, call, event, true);
			throw ex;
		}
		if (result instanceof CompletionStage<?> stage) {
			MeasuredMethods.Entry measured = entry;
			MeasuredCall open = call;
			MeasuredCallEvent begun = event;
			// Declared as something else: it leaves its thread only now.
			open.detach();
			return stage.whenComplete((value, ex) -> record(measured, open, begun, ex != null));
		}
		if (entry.untyped && REACTOR_PRESENT && result != null) {
			Object reactive = measureReactive(entry, result);
			if (reactive != result) {
				// Measured per subscription instead: the call only assembled it.
				call.detach();
				call.close();
				return reactive;
			}
		}
		record(entry, call, event, false);
		return result;
	}

	/**
	 * A reactive result, measured from each subscription to its end; the call itself only
	 * assembled it. Anything the registry cannot adapt passes through unmeasured.
	 */
	private @Nullable Object measureReactive(MeasuredMethods.Entry entry, @Nullable Object result) {
		if (result == null) {
			return null;
		}
		try {
			Object measured = ReactiveMeasuring.measure(result,
					() -> new Subscription(entry.knocker().openAsync(), MeasuredCallEvent.started()),
					(subscription, failed) -> record(entry, subscription.call, subscription.event, failed));
			return (measured != null) ? measured : result;
		}
		catch (RuntimeException ex) {
			failedToMeasure(ex);
			return result;
		}
	}

	/** One subscription's measured call on the door. */
	private record Subscription(MeasuredCall call, @Nullable MeasuredCallEvent event) {
	}

	/**
	 * Books a call: its figures (none for a call that spanned no sampling window) to the
	 * method, its JFR event and the listeners.
	 */
	private void record(MeasuredMethods.Entry entry, MeasuredCall call, @Nullable MeasuredCallEvent event,
			boolean failed) {
		try {
			call.close();
			double contention = entry.contention.record(call, failed);
			if (contention >= 0) {
				OptionalDouble waited = call.waited();
				if (event != null) {
					event.ended(entry.contention.getName(), entry.contention.getDoor(), contention, waited);
				}
				this.methods.measured(entry.contention, contention, waited);
			}
		}
		catch (RuntimeException ex) {
			failedToMeasure(ex);
		}
	}

	private void failedToMeasure(RuntimeException ex) {
		if (!this.failureLogged) {
			this.failureLogged = true;
			logger.warn("Failed to measure a @KnockMeasured call; the call itself is unaffected", ex);
		}
	}

}
