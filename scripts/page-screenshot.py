#!/usr/bin/env python3
"""docs/page.png: the contention page (/actuator/knocker) of the sample shop under the README's load.

Starts the sample app's jar (build it first: ./mvnw -B -q install -DskipTests) on loopback with the
page exposed, opens the page in Debian's headless Chromium (driven through its chromedriver over
the WebDriver protocol: no Python package needed, nothing downloaded), runs the README's quick-start
load (eight curl loops: four on POST /checkout, four on GET /catalog) while the page refreshes
itself, and takes the screenshot near the end of the load. It stops everything it started.

    python3 scripts/page-screenshot.py [--seconds 30] [--out docs/page.png]
"""
import argparse
import base64
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ADMIN = "admin:admin"  # the sample shop's demo user: /actuator/** is the admin's
WIDTH = 1280


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=120):
    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise SystemExit("not up after %d s: %s" % (seconds, url))


class WebDriver:
    """The few W3C WebDriver commands this script needs, against a local chromedriver."""

    def __init__(self, port):
        self.base = "http://127.0.0.1:%d" % port
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read().decode())["value"]

    def start(self, profile, height):
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=%d,%d" % (WIDTH, height)]
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}})
        self.session = value["sessionId"]

    def s(self, path):
        return "/session/%s%s" % (self.session, path)

    def get(self, url):
        self.call("POST", self.s("/url"), {"url": url})

    def script(self, source):
        return self.call("POST", self.s("/execute/sync"), {"script": source, "args": []})

    def size(self, width, height):
        self.call("POST", self.s("/window/rect"), {"width": width, "height": height})

    def screenshot(self):
        return base64.b64decode(self.call("GET", self.s("/screenshot")))

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", "/session/%s" % self.session)
            except Exception:
                pass


def curl_loops(port, seconds):
    """The README's quick-start load, as written there: four loops per endpoint."""
    loop = ("end=$((SECONDS+%d)); while [ $SECONDS -lt $end ]; do curl -s -o /dev/null %s; done")
    procs = []
    for _ in range(4):
        procs.append(subprocess.Popen(["bash", "-c", loop % (seconds, "-X POST 127.0.0.1:%d/checkout" % port)]))
        procs.append(subprocess.Popen(["bash", "-c", loop % (seconds, "127.0.0.1:%d/catalog" % port)]))
    return procs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="how long the load runs (default 30)")
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "page.png"))
    options = parser.parse_args()
    for tool in (CHROMIUM, CHROMEDRIVER, shutil.which("curl")):
        if not tool or not os.access(tool, os.X_OK):
            raise SystemExit("missing %s: apt-get install chromium chromium-driver curl" % tool)
    jars = [j for j in glob.glob(os.path.join(ROOT, "sample-app/target/knocker-sample-app-*.jar"))
            if not j.endswith(".original")]
    if not jars:
        raise SystemExit("no sample-app jar: ./mvnw -B -q install -DskipTests first")
    port, driver_port = free_port(), free_port()
    profile = tempfile.mkdtemp(prefix="knocker-page-")
    app = subprocess.Popen(["java", "-jar", jars[0], "--server.port=%d" % port,
                            "--management.endpoints.web.exposure.include=health,contention,knocker"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    chromedriver = subprocess.Popen([CHROMEDRIVER, "--port=%d" % driver_port],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    browser = WebDriver(driver_port)
    load = []
    try:
        wait_for("http://127.0.0.1:%d/actuator/health" % port)
        wait_for("http://127.0.0.1:%d/status" % driver_port)
        browser.start(profile, 1600)
        browser.get("http://%s@127.0.0.1:%d/actuator/knocker" % (ADMIN, port))
        load = curl_loops(port, options.seconds)
        time.sleep(max(1, options.seconds - 3))
        # The whole page in one picture, taken while the load still runs.
        height = browser.script("return document.documentElement.scrollHeight;")
        browser.size(WIDTH, int(height) + 140)
        time.sleep(2.5)  # one more refresh at the new size
        png = browser.screenshot()
        status = browser.script("return document.getElementById('status').textContent;")
        os.makedirs(os.path.dirname(os.path.abspath(options.out)), exist_ok=True)
        with open(options.out, "wb") as out:
            out.write(png)
        print("%s: %d bytes; the page said: %s" % (os.path.relpath(options.out, ROOT), len(png), status))
    finally:
        browser.quit()
        for proc in load + [chromedriver, app]:
            proc.terminate()
        for proc in load + [chromedriver, app]:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
