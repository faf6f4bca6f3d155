package io.knocker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Knocker's JFR events, as JDK Mission Control would read them from a recording. */
class FlightRecorderTests {

	@Test
	void eachSamplingWindowIsAnEventWithItsDoorsContention(@TempDir Path dir) throws Exception {
		ReentrantLock lock = new ReentrantLock();
		KnockKnock knocker = KnockKnock.builder().name("jfr-lock").door(Doors.lock(lock)).build();
		Path file = dir.resolve("knocker.jfr");
		try (Recording recording = new Recording()) {
			recording.enable("io.knocker.Window");
			recording.enable("io.knocker.HolderSample");
			recording.start();
			lock.lock();
			try (knocker) {
				knocker.start();
				// Held all along: about five windows, each read as all waiting.
				Workload.sleepMillis(600);
			}
			finally {
				lock.unlock();
			}
			recording.stop();
			recording.dump(file);
		}
		List<RecordedEvent> events = RecordingFile.readAllEvents(file);
		List<RecordedEvent> windows = events.stream()
			.filter((event) -> event.getEventType().getName().equals("io.knocker.Window"))
			.filter((event) -> "jfr-lock".equals(event.getString("door")))
			.toList();
		assertThat(windows).hasSizeGreaterThan(2);
		RecordedEvent window = windows.get(1);
		assertThat(window.getDouble("contention")).isGreaterThan(0.9);
		assertThat(window.getDouble("busyRatio")).isGreaterThan(0.9);
		assertThat(window.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(9));
		assertThat(window.getEventType().getLabel()).isEqualTo("Knock Window");
		// The lock was held by this thread all along: holder samples name it.
		RecordedEvent holder = events.stream()
			.filter((event) -> event.getEventType().getName().equals("io.knocker.HolderSample"))
			.findFirst()
			.orElseThrow();
		assertThat(holder.getString("door")).isEqualTo("jfr-lock");
		assertThat(holder.getString("thread")).isEqualTo(Thread.currentThread().getName());
		assertThat(holder.getString("topFrame")).isNotBlank();
		assertThat(Files.size(file)).isPositive();
	}

	@Test
	void withoutARecordingNoEventIsMade() {
		// Another test may have started JFR in this JVM: what counts is that no
		// recording runs now (each test closes its own), not whether JFR ever started.
		if (jdk.jfr.FlightRecorder.isInitialized()) {
			assertThat(jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings())
				.noneMatch((recording) -> recording.getState() == jdk.jfr.RecordingState.RUNNING);
		}
		assertThat(WindowEvent.isRecorded()).isFalse();
	}

}
