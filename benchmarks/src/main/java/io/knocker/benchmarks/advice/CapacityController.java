package io.knocker.benchmarks.advice;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.Semaphore;

import javax.sql.DataSource;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The three endpoints, each holding one resource for its service time, and the truth they
 * timed.
 */
@RestController
class CapacityController {

	static final String[] PATHS = { "/pool", "/permit", "/work" };

	private final DataSource dataSource;

	private final Semaphore permits;

	private final ServiceTime serviceTime;

	private final Truth truth;

	CapacityController(DataSource dataSource, Semaphore permits, ServiceTime serviceTime, Truth truth) {
		this.dataSource = dataSource;
		this.permits = permits;
		this.serviceTime = serviceTime;
		this.truth = truth;
	}

	@GetMapping("/pool")
	String pool(@RequestParam(required = false) Long hold, HttpServletRequest request, HttpServletResponse response)
			throws SQLException {
		long start = System.nanoTime();
		try (Connection connection = this.dataSource.getConnection()) {
			long waited = System.nanoTime() - start;
			done(request, response, waited, this.serviceTime.hold(hold));
		}
		return "pool";
	}

	@GetMapping("/permit")
	String permit(@RequestParam(required = false) Long hold, HttpServletRequest request, HttpServletResponse response)
			throws InterruptedException {
		long start = System.nanoTime();
		this.permits.acquire();
		try {
			long waited = System.nanoTime() - start;
			done(request, response, waited, this.serviceTime.hold(hold));
		}
		finally {
			this.permits.release();
		}
		return "permit";
	}

	@GetMapping("/work")
	String work(@RequestParam(required = false) Long hold, HttpServletRequest request, HttpServletResponse response) {
		done(request, response, 0L, this.serviceTime.hold(hold));
		return "work";
	}

	@GetMapping("/truth")
	Map<String, Map<String, Object>> truth() {
		return this.truth.read();
	}

	@PostMapping("/truth")
	Map<String, Map<String, Object>> resetTruth() {
		this.truth.reset();
		return this.truth.read();
	}

	private static void done(HttpServletRequest request, HttpServletResponse response, long waited, long held) {
		request.setAttribute(TruthFilter.WAIT, waited);
		request.setAttribute(TruthFilter.HOLD, held);
		response.setHeader("X-Wait-Nanos", Long.toString(waited));
		if (request.getAttribute(TruthFilter.START) instanceof Long start) {
			response.setHeader("X-Server-Nanos", Long.toString(System.nanoTime() - start));
			String sent = request.getHeader("X-Sent-Nanos");
			if (sent != null) {
				// System.nanoTime() is the machine's monotonic clock on Linux, the same
				// in
				// every JVM: the client's send to the first filter, queue for a worker
				// included.
				response.setHeader("X-Before-Nanos", Long.toString(start - Long.parseLong(sent)));
			}
		}
	}

}
