package io.knocker.sample;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/**
 * Receipts sent after a checkout, in the background on Spring's application task
 * executor: Knocker knocks on that pool as the door {@code applicationTaskExecutor}, with
 * no configuration.
 */
@Service
public class ReceiptService {

	private final AtomicLong sent = new AtomicLong();

	/**
	 * Sends a receipt: 5 ms of waiting on a mail server, on a pool thread. Two threads
	 * send 400 a second, about what the README's load checks out: busy, queueing at
	 * times.
	 */
	@Async
	public void send(String sku) {
		LockSupport.parkNanos(5_000_000);
		this.sent.incrementAndGet();
	}

	/** Receipts sent so far. */
	public long sent() {
		return this.sent.get();
	}

}
