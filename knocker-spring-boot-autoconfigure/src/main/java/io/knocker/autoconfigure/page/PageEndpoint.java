package io.knocker.autoconfigure.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * {@link WebEndpoint @WebEndpoint} that serves the contention page: one HTML document,
 * its styles and script inline, that reads {@code /actuator/contention} every two seconds
 * while it is open and shows where requests wait, each door's contention and the measured
 * methods. Nothing is computed here: the page is the same text every time but for where
 * it finds the contention endpoint and whether it offers a reset.
 */
@WebEndpoint(id = "knocker")
public class PageEndpoint {

	static final String TEMPLATE = "io/knocker/autoconfigure/page/knocker.html";

	private final Supplier<String> contentionHref;

	private final BooleanSupplier writable;

	private volatile @Nullable String template;

	/**
	 * Creates the endpoint.
	 * @param contentionHref where the page reads the contention endpoint, relative to the
	 * page itself
	 * @param writable whether the contention endpoint accepts writes, so that the page
	 * offers a reset
	 */
	public PageEndpoint(Supplier<String> contentionHref, BooleanSupplier writable) {
		this.contentionHref = contentionHref;
		this.writable = writable;
	}

	/**
	 * {@code GET /actuator/knocker}: the page.
	 * @return the page's HTML
	 */
	@ReadOperation(produces = "text/html;charset=UTF-8")
	public String page() {
		return template().replace("@contention@", attribute(this.contentionHref.get()))
			.replace("@writable@", Boolean.toString(this.writable.getAsBoolean()));
	}

	private String template() {
		String template = this.template;
		if (template == null) {
			// Read at the first request, not at startup: an application whose page is
			// never opened never reads it.
			template = read();
			this.template = template;
		}
		return template;
	}

	private static String read() {
		try (InputStream in = PageEndpoint.class.getClassLoader().getResourceAsStream(TEMPLATE)) {
			if (in == null) {
				throw new IllegalStateException("The contention page is missing from the class path: " + TEMPLATE);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The contention page could not be read: " + TEMPLATE, ex);
		}
	}

	private static String attribute(String value) {
		return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
	}

}
