package io.knocker;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Starts knockers and returns from main without stopping them: the JVM must still exit.
 */
public final class ExitProbe {

	private ExitProbe() {
	}

	public static void main(String[] args) {
		KnockKnock.builder().build().start();
		KnockKnock.builder().name("lock").door(Doors.lock(new ReentrantLock())).build().start();
		System.out.println("knocking");
	}

}
