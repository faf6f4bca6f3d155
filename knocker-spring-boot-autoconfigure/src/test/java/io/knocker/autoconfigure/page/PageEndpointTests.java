package io.knocker.autoconfigure.page;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The page as the endpoint serves it, without a server. */
class PageEndpointTests {

	@Test
	void pageTellsWhereTheContentionEndpointIsAndWhetherItAcceptsWrites() {
		String page = new PageEndpoint(() -> "../contention", () -> true).page();
		assertThat(page).startsWith("<!DOCTYPE html>")
			.contains("<body data-contention=\"../contention\" data-writable=\"true\"")
			.doesNotContain("@contention@", "@writable@");
	}

	@Test
	void aPathIsEscapedForItsAttribute() {
		String page = new PageEndpoint(() -> "a\"><script>x</script>", () -> false).page();
		assertThat(page).contains("data-contention=\"a&quot;&gt;&lt;script&gt;x&lt;/script&gt;\"")
			.doesNotContain("<script>x");
	}

	@Test
	void pageNeedsNoNetwork() {
		// The SVG namespace names elements; nothing is fetched from it.
		String page = new PageEndpoint(() -> "contention", () -> false).page()
			.replace("'http://www.w3.org/2000/svg'", "");
		// Nothing fetched from elsewhere: no script, style sheet, font or image by URL.
		assertThat(page).doesNotContainPattern("(?i)<script[^>]+src=")
			.doesNotContainPattern("(?i)<link[^>]+rel=\"stylesheet\"")
			.doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/")
			.doesNotContain("@import", "url(");
	}

	@Test
	void pageIsPlainAsciiSoThatNoCharsetCanGarbleIt() {
		String page = new PageEndpoint(() -> "contention", () -> false).page();
		assertThat(StandardCharsets.US_ASCII.newEncoder().canEncode(page)).isTrue();
	}

	@Test
	void theContentionEndpointIsFoundRelativeToThePage() {
		assertThat(PageEndpointAutoConfiguration.relativeHref("knocker", "contention")).isEqualTo("contention");
		assertThat(PageEndpointAutoConfiguration.relativeHref("tools/knocker", "contention"))
			.isEqualTo("../contention");
		assertThat(PageEndpointAutoConfiguration.relativeHref("knocker", "watch/contention"))
			.isEqualTo("watch/contention");
		assertThat(PageEndpointAutoConfiguration.contentionHref(null)).isEqualTo("contention");
	}

}
