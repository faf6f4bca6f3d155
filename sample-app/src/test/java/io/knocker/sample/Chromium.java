package io.knocker.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.fail;

/**
 * A headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by
 * Selenium, with nothing downloaded: the browser and its driver are given by path, so
 * Selenium Manager never runs, and {@code SE_OFFLINE} keeps it offline if it ever did.
 * Where they are missing the test is skipped, unless {@code -Dknocker.browser=required}
 * (as {@code .ci/run} sets) makes that a failure.
 */
final class Chromium implements AutoCloseable {

	private static final File BROWSER = new File(System.getProperty("knocker.chromium", "/usr/bin/chromium"));

	private static final File DRIVER = new File(System.getProperty("knocker.chromedriver", "/usr/bin/chromedriver"));

	private final ChromeDriver driver;

	private final Path profile;

	private Chromium(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	/**
	 * Starts a browser, or skips the test where there is none.
	 * @param width the window's width in pixels
	 * @param height the window's height in pixels
	 * @return the browser
	 */
	static Chromium start(int width, int height) throws IOException {
		if (!BROWSER.canExecute() || !DRIVER.canExecute()) {
			String missing = "No Chromium at " + BROWSER + " with its driver at " + DRIVER
					+ " (apt-get install chromium chromium-driver)";
			if ("required".equals(System.getProperty("knocker.browser"))) {
				fail(missing + ", and -Dknocker.browser=required");
			}
			Assumptions.abort(missing + ": the browser test is skipped");
		}
		// Selenium Manager hands SE_* system properties to its process as environment.
		System.setProperty("SE_OFFLINE", "true");
		Path profile = Files.createTempDirectory("knocker-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BROWSER);
		// As root it needs --no-sandbox; the rest keeps it off the network and quiet.
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-default-apps", "--no-first-run", "--no-default-browser-check", "--user-data-dir=" + profile,
				"--window-size=" + width + "," + height);
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER)
			.usingAnyFreePort()
			.build();
		return new Chromium(new ChromeDriver(service, options), profile);
	}

	ChromeDriver driver() {
		return this.driver;
	}

	/**
	 * The console's errors since the last call: what a developer would see in red.
	 * @return the errors, one a line
	 */
	List<String> consoleErrors() {
		return this.driver.manage()
			.logs()
			.get(LogType.BROWSER)
			.getAll()
			.stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::toString)
			.collect(Collectors.toList());
	}

	@Override
	public void close() throws IOException {
		try {
			this.driver.quit();
		}
		finally {
			FileSystemUtils.deleteRecursively(this.profile);
		}
	}

}
