package io.knocker.autoconfigure.measure;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;

/**
 * Measures a reactive result ({@code Mono}, {@code Flux}, or any publisher Spring's
 * {@link ReactiveAdapterRegistry} knows) from each subscription to its termination:
 * complete, error or cancel. Loaded only when Reactor is on the classpath.
 */
final class ReactiveMeasuring {

	private ReactiveMeasuring() {
	}

	/**
	 * The result, measured per subscription; {@code null} if it is not a reactive type.
	 * @param opened opens a measuring window, at subscription
	 * @param closed books a window when its subscription terminates, and whether it erred
	 */
	static <W> @Nullable Object measure(Object result, Supplier<W> opened, BiConsumer<W, Boolean> closed) {
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(result.getClass());
		if (adapter == null) {
			return null;
		}
		if (adapter.isMultiValue()) {
			Flux<?> source = Flux.from(adapter.toPublisher(result));
			return adapter.fromPublisher(Flux.defer(() -> {
				W window = opened.get();
				return source.doFinally((signal) -> closed.accept(window, signal == SignalType.ON_ERROR));
			}));
		}
		Mono<?> source = Mono.from(adapter.toPublisher(result));
		return adapter.fromPublisher(Mono.defer(() -> {
			W window = opened.get();
			return source.doFinally((signal) -> closed.accept(window, signal == SignalType.ON_ERROR));
		}));
	}

}
