package io.knocker.autoconfigure.web;

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

	@GetMapping("/slow")
	String slow() {
		LockSupport.parkNanos(50_000_000);
		return "done";
	}

}
