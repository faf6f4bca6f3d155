package io.knocker.autoconfigure.page;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** The smallest application with Knocker and the actuator, for the page's web tests. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class PageApp {

}
