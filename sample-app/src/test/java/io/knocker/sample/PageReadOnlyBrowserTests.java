package io.knocker.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contention page where the contention endpoint is read-only (the library's default):
 * no reset button, even for the shop's admin.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,contention,knocker",
				"management.endpoint.contention.access=read-only" })
class PageReadOnlyBrowserTests {

	@LocalServerPort
	private int port;

	@Test
	void pageOffersNoResetWithoutWriteAccess() throws Exception {
		try (Chromium chromium = Chromium.start(1280, 1000)) {
			ChromeDriver browser = chromium.driver();
			ShopLoad.run(this.port, Duration.ofSeconds(2), PageBrowserTests.README_LOAD);
			browser.get("http://admin:admin@127.0.0.1:" + this.port + "/actuator/knocker");
			await().atMost(Duration.ofSeconds(30)).until(() -> PageBrowserTests.read(browser).refreshes() >= 1);
			PageBrowserTests.Page page = PageBrowserTests.read(browser);
			assertThat(page.endpoints()).extracting(PageBrowserTests.Endpoint::key)
				.contains("POST /checkout", "GET /catalog");
			assertThat(page.resetShown()).isFalse();
			assertThat(browser.findElement(By.id("reset")).isDisplayed()).isFalse();
			assertThat(chromium.consoleErrors()).isEmpty();
		}
	}

}
