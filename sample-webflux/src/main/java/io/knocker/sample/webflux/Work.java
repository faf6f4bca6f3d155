package io.knocker.sample.webflux;

/** CPU work that stands for real business logic. */
final class Work {

	private Work() {
	}

	static long compute(long nanos) {
		long end = System.nanoTime() + nanos;
		long x = 17;
		while (System.nanoTime() < end) {
			for (int i = 0; i < 64; i++) {
				x = x * 31 + i;
			}
		}
		return x;
	}

}
