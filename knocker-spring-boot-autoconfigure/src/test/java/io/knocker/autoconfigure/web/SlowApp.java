package io.knocker.autoconfigure.web;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A web application whose one endpoint takes 50 ms, for the http door's tests. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@RestController
class SlowApp {

	/** Requests in the handler now. */
	static final AtomicInteger running = new AtomicInteger();

	/** The most requests seen in the handler at once. */
	static final AtomicInteger mostAtOnce = new AtomicInteger();

	@GetMapping("/slow")
	String slow() {
		mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
		try {
			LockSupport.parkNanos(50_000_000);
		}
		finally {
			running.decrementAndGet();
		}
		return "done";
	}

}
