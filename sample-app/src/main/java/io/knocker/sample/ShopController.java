package io.knocker.sample;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The shop's HTTP API. */
@RestController
public class ShopController {

	private final InventoryService inventory;

	private final CatalogService catalog;

	private final ReportService reports;

	private final ReceiptService receipts;

	private final OrderHistoryService orders;

	public ShopController(InventoryService inventory, CatalogService catalog, ReportService reports,
			ReceiptService receipts, OrderHistoryService orders) {
		this.inventory = inventory;
		this.catalog = catalog;
		this.reports = reports;
		this.receipts = receipts;
		this.orders = orders;
	}

	/** A database pool of two connections: under load, requests queue for one. */
	@GetMapping("/orders")
	public Map<String, Long> orders() {
		return Map.of("tables", this.orders.count());
	}

	/** Contended: every checkout queues on the inventory lock. */
	@PostMapping("/checkout")
	public InventoryService.Reservation checkout(@RequestParam(defaultValue = "coffee") String sku,
			@RequestParam(defaultValue = "1") int quantity) {
		InventoryService.Reservation reservation = this.inventory.reserve(sku, quantity);
		this.receipts.send(sku);
		return reservation;
	}

	/** Free: lock-free work. */
	@GetMapping("/catalog")
	public Map<String, String> catalog(@RequestParam(defaultValue = "coffee") String q) {
		return Map.of("result", this.catalog.search(q));
	}

	/** GC pressure: a large live structure built amid garbage, of 1 to 512 MB. */
	@GetMapping("/report")
	public Map<String, Long> report(@RequestParam(defaultValue = "64") int mb) {
		if (mb < 1 || mb > 512) {
			throw new IllegalArgumentException("mb is " + mb + "; a report builds 1 to 512 MB");
		}
		return Map.of("checksum", this.reports.build(mb));
	}

	@ExceptionHandler
	@ResponseStatus(HttpStatus.BAD_REQUEST)
	public String invalid(IllegalArgumentException ex) {
		return ex.getMessage();
	}

}
