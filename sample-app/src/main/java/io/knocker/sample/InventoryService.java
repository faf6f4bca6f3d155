package io.knocker.sample;

import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockMeasured;

import org.springframework.stereotype.Service;

/** Stock levels, guarded by one lock: every reservation queues for it. */
@Service
public class InventoryService {

	private final ReentrantLock inventoryLock;

	private long reserved;

	public InventoryService(ReentrantLock inventoryLock) {
		this.inventoryLock = inventoryLock;
	}

	/**
	 * Reserves stock, holding the inventory lock for about two milliseconds of
	 * bookkeeping.
	 */
	@KnockMeasured(value = "checkout", door = "inventory-lock")
	public Reservation reserve(String sku, int quantity) {
		this.inventoryLock.lock();
		try {
			Work.compute(2_000_000);
			this.reserved += quantity;
			return new Reservation(sku, quantity, this.reserved);
		}
		finally {
			this.inventoryLock.unlock();
		}
	}

	/** A reservation made. */
	public record Reservation(String sku, int quantity, long reservedSoFar) {
	}

}
