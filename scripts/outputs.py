#!/usr/bin/env python3
"""The outputs pasted in README.md and docs/, from one real run of the sample shop.

Runs the sample app's jar (build it first: `./mvnw -B package -DskipTests`), drives the README's
load (four curl loops on POST /checkout and four on GET /catalog, ten seconds) and reads
/actuator/contention; then resets, drives the same load with three curl loops on GET /orders
beside it, and reads the endpoint's `requests`. It rewrites every block between
`<!-- output: NAME -->` and `<!-- /output -->` in README.md, docs/endpoint.md, docs/observability.md
and docs/requests.md,
figures in the prose around the output included, so that a change that alters an output shows in
`git diff` after running it.

    python3 scripts/outputs.py
"""
import base64
import glob
import json
import os
import platform
import re
import subprocess
import sys
import time
import urllib.request

PORT = 8097
BASE = f"http://127.0.0.1:{PORT}"
LOOPS = """
for i in 1 2 3 4; do
  (end=$((SECONDS+10)); while [ $SECONDS -lt $end ]; do curl -s -o /dev/null -X POST {base}/checkout; done) &
  (end=$((SECONDS+10)); while [ $SECONDS -lt $end ]; do curl -s -o /dev/null {base}/catalog; done) &
done
{orders}wait
"""
ORDERS = """for i in 1 2 3; do
  (end=$((SECONDS+10)); while [ $SECONDS -lt $end ]; do curl -s -o /dev/null {base}/orders; done) &
done
"""


def jar():
    jars = [j for j in glob.glob("sample-app/target/knocker-sample-app-*.jar") if "original" not in j]
    if not jars:
        sys.exit("build the sample app first: ./mvnw -B package -DskipTests")
    return jars[0]


def get(path):
    with urllib.request.urlopen(BASE + path, timeout=10) as response:
        return json.loads(response.read())


def reset():
    request = urllib.request.Request(BASE + "/actuator/contention", method="POST",
                                     data=b'{"action":"reset"}',
                                     # The sample app's writer (docs/endpoint.md).
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()})
    urllib.request.urlopen(request, timeout=10).read()


def load(orders):
    script = LOOPS.format(base=BASE, orders=ORDERS.format(base=BASE) if orders else "")
    subprocess.run(["bash", "-c", script], check=True)


def pct(share):
    return f"{round(100 * share)} %"


def r3(value):
    return round(value, 3)


def replace(path, name, text):
    with open(path) as f:
        content = f.read()
    pattern = re.compile(r"(<!-- output: " + re.escape(name) + r" -->\n).*?(<!-- /output -->)", re.S)
    if not pattern.search(content):
        sys.exit(f"{path} has no block '{name}'")
    content = pattern.sub(lambda m: m.group(1) + text.rstrip("\n") + "\n" + m.group(2), content)
    with open(path, "w") as f:
        f.write(content)


def readme_excerpt(reading, machine):
    lock = reading["doors"]["inventory-lock"]
    checkout = reading["methods"]["checkout"]
    request = reading["requests"]["POST /checkout"]
    waited = request["waited"]
    return f"""The sample shop below under its quick-start load (real output of `/actuator/contention`, an
excerpt, rounded; {machine}):

```json
"inventory-lock": {{"kind": "lock", "contentionMetric": {r3(lock["contentionMetric"])}, "busyRatio": {r3(lock["busyRatio"])}, "knocks": {lock["knocks"]}}},
"checkout": {{"door": "inventory-lock", "calls": {checkout["calls"]}, "sampledCalls": {checkout["sampledCalls"]},
             "meanContention": {r3(checkout["meanContention"])}, "meanWaited": {r3(checkout["meanWaited"])}}},
"POST /checkout": {{"requests": {request["requests"]}, "seconds": {r3(request["seconds"])},
                   "waited": {{"http": {r3(waited.get("http", 0))}, "inventory-lock": {r3(waited.get("inventory-lock", 0))}, "jvm": {r3(waited.get("jvm", 0))}}}}}
```

Checkouts spent {pct(checkout["meanWaited"])} of their time queuing for the lock (`meanWaited`); of each
checkout request, {pct(waited.get("http", 0))} went waiting for a Tomcat worker, {pct(waited.get("inventory-lock", 0))} at the lock
and {pct(waited.get("jvm", 0))} for a CPU or a pause (`jvm`; eight curl loops and the shop on two cores)."""


def full_reading(reading, machine):
    jvm = reading["doors"]["jvm"]
    lock = reading["doors"]["inventory-lock"]
    checkout = reading["methods"]["checkout"]
    catalog = reading["methods"]["catalog"]
    waited = reading["requests"]["POST /checkout"]["waited"]
    http = reading["doors"].get("http", {})
    return f"""Output from a real run ({machine}, pretty-printed; `scripts/outputs.py` makes it):

```json
{json.dumps(reading, indent=2)}
```

`checkout` spent {pct(checkout["meanWaited"])} of its time queuing for `inventory-lock` (`meanWaited`, its own
thread's wait, time-weighted over its calls); `meanContention` ({r3(checkout["meanContention"])}) also counts the
2 ms it holds the lock itself, for which a newcomer would wait (see
[`@KnockMeasured`](measured-methods.md)). The lock was taken {pct(lock["busyRatio"])} of the time
(`busyRatio`). Calls ride the knocker's cycle (a 10 ms window every 110 ms), so {checkout["sampledCalls"]} of the
{checkout["calls"]} checkouts were sampled; the means are over those. Doors nobody configured show too:
`http`, Tomcat's request pool (here {r3(http.get("contentionMetric", 0))}: a knock finds a worker idle, or room to
start one, and gets straight through), `applicationTaskExecutor`, the pool behind `@Async` that
sends the shop's receipts, and `dataSource`, the shop's two-connection database pool (idle here:
see [database pools](doors.md#database-pools)). `requests` splits each endpoint's time by where
it waited, with no annotation (see [requests](requests.md)): of a checkout's request,
{pct(waited.get("inventory-lock", 0))} at `inventory-lock` and {pct(waited.get("http", 0))} handed over to a worker. The `jvm` door
reads {r3(jvm["contentionMetric"])} and the catalog's calls {r3(catalog["meanContention"])}: with eight curl loops and the server on
two cores, ready threads wait for a CPU, which the `jvm` door carries over its sleeps only when it
is sustained (an isolated hiccup counts in its window only). `gcPauseSeconds` says how
much of its {r3(jvm["contendedSeconds"])} s was stop-the-world pauses ({jvm["gcPauseSeconds"]} s). `curl -s
127.0.0.1:8080/report?mb=256` builds a large live heap (1 to 512 MB) amid garbage, and its GC
pauses show up on the `jvm` door and in `methods.report`."""


def prometheus_excerpt(scrape, machine):
    """The door counters and one method's waited histogram, as Prometheus scrapes them."""
    keep = []
    for line in scrape.splitlines():
        if re.match(r"knocker_(contended|sampled)_seconds_total", line):
            keep.append(line)
        elif line.startswith("knocker_method_waited_") and 'method="checkout"' in line:
            le = re.search(r'le="([^"]+)"', line)
            if not le or le.group(1) in ("0.05", "0.1", "0.25", "0.5", "1.0", "+Inf"):
                keep.append(line)
    return f"""From the sample app's `/actuator/prometheus` after the [README's load](../README.md#quick-start) (a real
run, {machine}; `scripts/outputs.py` makes it; the waited histogram cut to six of its 21 buckets):

```
""" + "\n".join(keep) + "\n```"


def requests_block(reading, machine):
    requests = reading["requests"]
    checkout = requests["POST /checkout"]["waited"]
    orders = requests.get("GET /orders", {}).get("waited", {})
    block = f"""The `requests` part of `/actuator/contention` after a reset and the [README's load](../README.md#quick-start)
again, with three curl loops on `GET /orders` beside it (a real run, {machine}; `scripts/outputs.py` makes it):

```json
{json.dumps({"requests": requests}, indent=2)}
```"""
    figures = f"""Of a checkout's time, {pct(checkout.get("inventory-lock", 0))} went queuing for `inventory-lock`, {pct(checkout.get("http", 0))} waiting for a
Tomcat worker, and {pct(checkout.get("jvm", 0))} waiting for a CPU or a pause (`jvm`: eleven curl loops and the shop
on two cores); the orders waited for a connection {pct(orders.get("dataSource", 0))} of their time."""
    return block, figures


def main():
    machine = f"{os.cpu_count()}-core machine, {platform.system()}"
    app = subprocess.Popen(["java", "-jar", jar(), f"--server.port={PORT}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                get("/actuator/contention")
                break
            except OSError:
                time.sleep(0.5)
        version = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split("\n")[0]
        machine += ", " + re.sub(r'.*version "([^"]+)".*', r"JDK \1", version)
        load(orders=False)
        first = get("/actuator/contention")
        with urllib.request.urlopen(BASE + "/actuator/prometheus", timeout=10) as response:
            scrape = response.read().decode()
        reset()
        load(orders=True)
        second = get("/actuator/contention")
    finally:
        app.terminate()
        app.wait()
    replace("README.md", "quick-start-excerpt", readme_excerpt(first, machine))
    replace("docs/endpoint.md", "full-reading", full_reading(first, machine))
    replace("docs/observability.md", "prometheus", prometheus_excerpt(scrape, machine))
    block, figures = requests_block(second, machine)
    replace("docs/requests.md", "requests", block)
    replace("docs/requests.md", "requests-figures", figures)
    print("rewrote README.md, docs/endpoint.md, docs/observability.md, docs/requests.md: see git diff")


if __name__ == "__main__":
    main()
