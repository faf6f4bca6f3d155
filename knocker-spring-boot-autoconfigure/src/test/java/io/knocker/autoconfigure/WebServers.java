package io.knocker.autoconfigure;

import io.knocker.autoconfigure.web.WebServerLookup;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Real web servers in tests, the same way on every Spring Boot line (Boot 4 renamed the
 * servers' auto-configurations and classes; these helpers name none of them).
 */
public final class WebServers {

	private WebServers() {
	}

	/**
	 * An application on one server: Spring Boot picks the server whose classes it sees,
	 * so the others' are hidden from its conditions.
	 * @param server {@code tomcat}, {@code jetty} or {@code netty}
	 * @param sources the application's sources
	 * @return a builder for the application
	 */
	public static SpringApplicationBuilder on(String server, Class<?>... sources) {
		String tomcat = "org.apache.catalina.startup";
		String jetty = "org.eclipse.jetty.server";
		FilteredClassLoader hidden = switch (server) {
			case "tomcat" -> new FilteredClassLoader(jetty);
			case "jetty" -> new FilteredClassLoader(tomcat);
			case "netty" -> new FilteredClassLoader(tomcat, jetty);
			default -> throw new IllegalArgumentException("Unknown server " + server);
		};
		return new SpringApplicationBuilder(sources).resourceLoader(new DefaultResourceLoader(hidden));
	}

	/**
	 * The application's server, found as Knocker finds it.
	 * @param context a started web application
	 * @return its server
	 */
	public static WebServer of(ApplicationContext context) {
		return context.getBeanProvider(WebServerLookup.class)
			.orderedStream()
			.map((lookup) -> lookup.find(context))
			.filter((server) -> server != null)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No web server"));
	}

	/**
	 * The port the application's server listens on.
	 * @param context a started web application
	 * @return the port
	 */
	public static int port(ApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
