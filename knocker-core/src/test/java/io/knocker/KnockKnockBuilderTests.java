package io.knocker;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Invalid settings fail fast, naming the setting and the value. */
class KnockKnockBuilderTests {

	static Stream<Arguments> invalidSettings() {
		return Stream.of(invalid("pollingInterval", "PT0S", (b) -> b.pollingInterval(Duration.ZERO)),
				invalid("pollingInterval", "PT-0.001S", (b) -> b.pollingInterval(Duration.ofMillis(-1))),
				invalid("pollingInterval", "null", (b) -> b.pollingInterval(null)),
				invalid("pollingInterval", "PT0.000000001S", (b) -> b.pollingInterval(Duration.ofNanos(1))),
				invalid("samplingInterval", "PT0S", (b) -> b.samplingInterval(Duration.ZERO)),
				invalid("samplingInterval", "PT-1S", (b) -> b.samplingInterval(Duration.ofSeconds(-1))),
				invalid("samplingInterval", "PT0.0005S", (b) -> b.samplingInterval(Duration.ofNanos(500_000))),
				invalid("sleepingInterval", "PT-0.1S", (b) -> b.sleepingInterval(Duration.ofMillis(-100))),
				invalid("timeout", "PT0S", (b) -> b.timeout(Duration.ZERO)),
				invalid("timeout", "PT-2S", (b) -> b.timeout(Duration.ofSeconds(-2))),
				invalid("door", "null", (b) -> b.door(null)),
				invalid("name", "'inventory lock'", (b) -> b.name("inventory lock")),
				invalid("name", "null", (b) -> b.name(null)));
	}

	private static Arguments invalid(String setting, String value, UnaryOperator<KnockKnock.Builder> change) {
		return Arguments.of(setting, value, change);
	}

	@ParameterizedTest(name = "{0} = {1}")
	@MethodSource("invalidSettings")
	void anInvalidSettingIsRefusedNamingItAndItsValue(String setting, String value,
			UnaryOperator<KnockKnock.Builder> change) {
		assertThatIllegalArgumentException().isThrownBy(() -> change.apply(KnockKnock.builder()).build())
			.withMessageStartingWith(setting + " must")
			.withMessageContaining("was " + value);
	}

	@Test
	void aNullDoorTargetIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Doors.lock(null)).withMessage("lock must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> Doors.monitor(null))
			.withMessage("monitor must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> Doors.semaphore(null))
			.withMessage("semaphore must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> Doors.executor(null))
			.withMessage("executor must not be null");
	}

}
