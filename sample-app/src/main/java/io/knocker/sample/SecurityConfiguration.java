package io.knocker.sample;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Reads stay open (the app binds 127.0.0.1); changing the knockers through
 * {@code POST /actuator/contention} takes the role ADMIN, over HTTP Basic. The two users
 * are for the demo only: set {@code shop.users.monitor-password} and
 * {@code shop.users.admin-password}, or better, bring your own user store.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers(HttpMethod.GET, "/actuator/health/**", "/actuator/contention/**", "/actuator/metrics/**",
					"/actuator/prometheus")
			.permitAll()
			.requestMatchers("/actuator/contention/**")
			.hasRole("ADMIN")
			.requestMatchers("/actuator/**")
			.hasRole("ADMIN")
			.anyRequest()
			.permitAll())
			.httpBasic(Customizer.withDefaults())
			// A stateless API authenticated per request: no session, so no cross-site
			// request to forge.
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/actuator/**", "/checkout"));
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager demoUsers(@Value("${shop.users.monitor-password:monitor}") String monitorPassword,
			@Value("${shop.users.admin-password:admin}") String adminPassword) {
		return new InMemoryUserDetailsManager(
				User.withUsername("monitor").password("{noop}" + monitorPassword).roles("MONITOR").build(),
				User.withUsername("admin").password("{noop}" + adminPassword).roles("ADMIN").build());
	}

}
