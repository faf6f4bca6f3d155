#!/usr/bin/env python3
"""What the page costs the application: its CPU with the page open in a browser and with it closed.

Starts the sample shop's jar at rest, lets it warm up, then measures the application's CPU (utime
plus stime of the whole process, /proc/<pid>/stat) over spells with no page open and with the
page open in headless Chromium (it reads /actuator/contention every 2 s), in turns, closed first.
Prints each spell and the mean difference in ms/s and as a share of one core. Needs Debian's
chromium and chromium-driver (as .ci/run installs them) and the shop's jar
(`./mvnw -B -q install -DskipTests`).

    python3 benchmarks/page-cost.py [warm-up seconds] [spell seconds] [pairs] [shop|webflux]

The shop (the default) serves the page to `admin` alone, over HTTP Basic, and every read pays the
password check: Spring Security upgrades the `{noop}` demo passwords to BCrypt at the first sign-in,
about 100 ms of CPU a check. The WebFlux sample has no users: there the page's own reads are what is
measured (the page exposed for the run).
"""
import glob
import importlib.util
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("page_screenshot", os.path.join(ROOT, "scripts", "page-screenshot.py"))
page = importlib.util.module_from_spec(spec)
spec.loader.exec_module(page)
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def spell(pid, seconds):
    before, started = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) * 1000 / (time.monotonic() - started)


def main():
    warm = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    webflux = len(sys.argv) > 4 and sys.argv[4] == "webflux"
    module, arguments, user = ("sample-app", [], page.ADMIN + "@")
    if webflux:
        module, arguments, user = ("sample-webflux", ["--management.endpoints.web.exposure.include=health,contention,"
                                                      "knocker"], "")
    jar = next(j for j in glob.glob(os.path.join(ROOT, module, "target/knocker-%s-*.jar" % module))
               if not j.endswith(".original"))
    port, driver_port = page.free_port(), page.free_port()
    app = page.subprocess.Popen(["java", "-jar", jar, "--server.port=%d" % port] + arguments,
                                stdout=page.subprocess.DEVNULL, stderr=page.subprocess.STDOUT)
    chromedriver = page.subprocess.Popen([page.CHROMEDRIVER, "--port=%d" % driver_port],
                                         stdout=page.subprocess.DEVNULL, stderr=page.subprocess.DEVNULL)
    browser = page.WebDriver(driver_port)
    try:
        page.wait_for("http://127.0.0.1:%d/actuator/health" % port)
        page.wait_for("http://127.0.0.1:%d/status" % driver_port)
        browser.start(tempfile.mkdtemp(prefix="knocker-page-cost-"), 1600)
        time.sleep(warm)
        closed, opened = [], []
        for _ in range(pairs):
            browser.get("about:blank")
            closed.append(spell(app.pid, seconds))
            browser.get("http://%s127.0.0.1:%d/actuator/knocker" % (user, port))
            time.sleep(3)
            opened.append(spell(app.pid, seconds))
            print("closed %.2f ms/s, open %.2f ms/s" % (closed[-1], opened[-1]), flush=True)
        refreshes = browser.script("return document.body.getAttribute('data-refreshes');")
        difference = sum(opened) / len(opened) - sum(closed) / len(closed)
        print("page open on %s: +%.2f ms/s of the application's CPU (%.2f %% of one core); %s refreshes in the last"
              " spell" % (module, difference, difference / 10, refreshes))
    finally:
        browser.quit()
        chromedriver.terminate()
        app.terminate()
        app.wait()


if __name__ == "__main__":
    main()
