package io.knocker;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kernel's own count of the time the current thread spent runnable but not running,
 * waiting for a core: the run-queue delay of {@code /proc/thread-self/schedstat} (Linux,
 * its second field, in nanoseconds), read through a channel each thread keeps open (about
 * 2 µs a read; opening the file each time costs ten times that). A sleeper's wake-up
 * lateness, which the JVM door measures, reads far below it on a loaded machine: the
 * kernel lets a waking thread preempt the busy ones. Absent ({@code -1}) where the kernel
 * does not count it (macOS, Windows) and on a virtual thread, whose carrier's count is
 * not its own.
 */
final class RunQueue {

	private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

	static final boolean AVAILABLE = Files.isReadable(SCHEDSTAT);

	/** {@code Thread#isVirtual()} on JDK 21+, else {@code null}. */
	private static final MethodHandle IS_VIRTUAL = isVirtual();

	private static final ThreadLocal<Reader> READERS = ThreadLocal.withInitial(Reader::new);

	private RunQueue() {
	}

	/**
	 * The current thread's run-queue delay so far.
	 * @return nanoseconds, or -1 where there is no count
	 */
	static long nanos() {
		if (!AVAILABLE || isVirtual(Thread.currentThread())) {
			return -1;
		}
		return READERS.get().read();
	}

	static boolean isVirtual(Thread thread) {
		if (IS_VIRTUAL == null) {
			return false;
		}
		try {
			return (boolean) IS_VIRTUAL.invokeExact(thread);
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static MethodHandle isVirtual() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	/** One thread's open schedstat file and buffer: a read allocates nothing. */
	private static final class Reader {

		private final ByteBuffer buffer = ByteBuffer.allocateDirect(96);

		private FileChannel channel;

		private boolean failed;

		long read() {
			if (this.failed) {
				return -1;
			}
			try {
				if (this.channel == null) {
					// Opened on this thread: /proc/thread-self names it at open.
					this.channel = FileChannel.open(SCHEDSTAT, StandardOpenOption.READ);
				}
				this.buffer.clear();
				int read = this.channel.read(this.buffer, 0);
				return (read > 0) ? secondField(this.buffer, read) : -1;
			}
			catch (IOException | RuntimeException ex) {
				this.failed = true;
				return -1;
			}
		}

		/** "cpu-ns runqueue-ns slices": the second number. */
		private static long secondField(ByteBuffer buffer, int length) {
			int i = 0;
			while (i < length && buffer.get(i) != ' ') {
				i++;
			}
			long value = 0;
			boolean digits = false;
			for (i++; i < length; i++) {
				byte b = buffer.get(i);
				if (b < '0' || b > '9') {
					break;
				}
				value = value * 10 + (b - '0');
				digits = true;
			}
			return digits ? value : -1;
		}

	}

}
