package io.knocker.autoconfigure.measure;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Measures a reactive result ({@code Mono}, {@code Flux}, or any publisher Spring's
 * {@link ReactiveAdapterRegistry} knows) from each subscription to its termination:
 * complete, error or cancel. The call is booked before the terminal signal reaches the
 * subscriber, so whatever that signal sets off (a response written, a test's
 * verification) already sees it counted. Loaded only when Reactor is on the classpath.
 */
final class ReactiveMeasuring {

	private ReactiveMeasuring() {
	}

	/**
	 * The result, measured per subscription; {@code null} if it is not a reactive type.
	 * @param opened opens a measured call, at subscription
	 * @param closed books a call when its subscription terminates, and whether it erred
	 */
	static <W> @Nullable Object measure(Object result, Supplier<W> opened, BiConsumer<W, Boolean> closed) {
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(result.getClass());
		if (adapter == null) {
			return null;
		}
		if (adapter.isMultiValue()) {
			Flux<?> source = Flux.from(adapter.toPublisher(result));
			return adapter.fromPublisher(Flux.defer(() -> {
				Ending<W> ending = new Ending<>(opened.get(), closed);
				return source.doOnComplete(() -> ending.end(false))
					.doOnError((ex) -> ending.end(true))
					.doOnCancel(() -> ending.end(false));
			}));
		}
		Mono<?> source = Mono.from(adapter.toPublisher(result));
		return adapter.fromPublisher(Mono.defer(() -> {
			Ending<W> ending = new Ending<>(opened.get(), closed);
			// A Mono's value is its end: booked before the value is passed on.
			return source.doOnSuccess((value) -> ending.end(false))
				.doOnError((ex) -> ending.end(true))
				.doOnCancel(() -> ending.end(false));
		}));
	}

	/**
	 * One subscription's end, booked once: a subscriber may cancel after the value or the
	 * completion it was given.
	 */
	private static final class Ending<W> extends AtomicBoolean {

		private final W call;

		private final BiConsumer<W, Boolean> closed;

		Ending(W call, BiConsumer<W, Boolean> closed) {
			this.call = call;
			this.closed = closed;
		}

		void end(boolean failed) {
			if (compareAndSet(false, true)) {
				this.closed.accept(this.call, failed);
			}
		}

	}

}
