#!/usr/bin/env python3
"""The outputs pasted in README.md and docs/, from real runs of the sample apps.

Runs the sample shop's jar (build both samples first: `./mvnw -B install -DskipTests`), drives the
README's load (four curl loops on POST /checkout and four on GET /catalog, ten seconds) and reads
/actuator/contention, /actuator/contention/POST/checkout (one endpoint's requests) and
/actuator/prometheus; then resets, drives the same load with three curl loops on GET /orders
beside it, and reads the endpoint's `requests` (per endpoint: `count`, `seconds`, `meanSeconds`,
`waited` per door as `{"seconds", "share"}`, most first, and `rest`). A fresh shop then takes fifty
checkouts one after another and, after a reset, six loops on GET /orders; last, the WebFlux sample
takes four clients on quotes and a one-second report. It rewrites every block between
`<!-- output: NAME -->` and `<!-- /output -->` in README.md and docs/, figures in the prose around
the output included, so that a change that alters an output shows in `git diff` after running it.

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
ORDERS = """for i in {clients}; do
  (end=$((SECONDS+10)); while [ $SECONDS -lt $end ]; do curl -s -o /dev/null {base}/orders; done) &
done
"""


def jar(module):
    jars = [j for j in glob.glob(f"{module}/target/knocker-*.jar") if "original" not in j]
    if not jars:
        sys.exit("build the sample apps first: ./mvnw -B install -DskipTests")
    return jars[0]


def get(path, port=PORT):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}" + path, timeout=10) as response:
        return json.loads(response.read())


def reset():
    request = urllib.request.Request(BASE + "/actuator/contention", method="POST",
                                     data=b'{"action":"reset"}',
                                     # The sample app's writer (docs/endpoint.md).
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()})
    urllib.request.urlopen(request, timeout=10).read()


def load(orders):
    script = LOOPS.format(base=BASE, orders=ORDERS.format(base=BASE, clients="1 2 3") if orders else "")
    subprocess.run(["bash", "-c", script], check=True)


def pct(share):
    return f"{round(100 * share)} %"


def small_pct(share):
    """A share that may be well under 1 % (the GC pauses): one decimal there."""
    return pct(share) if share >= 0.01 or share == 0 else f"{round(100 * share, 1)} %"


def r3(value):
    return round(value, 3)


def share(request, door):
    """An endpoint's share of its time waited at a door (`cpu`: waiting for a core), 0 if absent."""
    return request.get("waited", {}).get(door, {}).get("share", 0.0)


def part(value):
    return f'{{"seconds": {r3(value["seconds"])}, "share": {r3(value["share"])}}}'


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
    # The doors the checkouts waited at, most first as the endpoint sorts them (those at 0 left out).
    waited = [(door, value) for door, value in request["waited"].items() if round(value["share"], 3) > 0]
    indent = " " * len('                   "waited": {')
    doors = (",\n" + indent).join(f'"{door}": {part(value)}' for door, value in waited)
    return f"""The sample shop below under its quick-start load (real output of `/actuator/contention`, an
excerpt, rounded; {machine}):

```json
"inventory-lock": {{"kind": "lock", "contentionMetric": {r3(lock["contentionMetric"])}, "busyRatio": {r3(lock["busyRatio"])}, "knocks": {lock["knocks"]}}},
"checkout": {{"door": "inventory-lock", "calls": {checkout["calls"]}, "sampledCalls": {checkout["sampledCalls"]},
             "meanContention": {r3(checkout["meanContention"])}, "meanWaited": {r3(checkout["meanWaited"])}}},
"POST /checkout": {{"count": {request["count"]}, "seconds": {r3(request["seconds"])}, "meanSeconds": {r3(request["meanSeconds"])},
                   "waited": {{{doors}}},
                   "rest": {part(request["rest"])}}}
```

Checkouts spent {pct(checkout["meanWaited"])} of their time queuing for the lock (`meanWaited`). Of the checkout
requests' time, {pct(share(request, "cpu"))} went waiting for a core (`cpu`: eight curl loops and the shop on two
cores), {pct(share(request, "inventory-lock"))} at the lock, {pct(share(request, "http"))} waiting for a Tomcat worker (`http`) and {small_pct(share(request, "jvm"))} in GC pauses
(`jvm`); the rest, {pct(request["rest"]["share"])}, was the checkout's own work."""


def full_reading(reading, machine):
    jvm = reading["doors"]["jvm"]
    lock = reading["doors"]["inventory-lock"]
    checkout = reading["methods"]["checkout"]
    catalog = reading["methods"]["catalog"]
    request = reading["requests"]["POST /checkout"]
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
it waited, with no annotation (see [requests](requests.md)): of the checkouts' time,
{pct(share(request, "inventory-lock"))} at `inventory-lock`, {pct(share(request, "http"))} handed over to a worker, {pct(share(request, "cpu"))} waiting for a core
(`cpu`, the kernel's count) and {small_pct(share(request, "jvm"))} in GC pauses (`jvm`). The `jvm` door
reads {r3(jvm["contentionMetric"])} and the catalog's calls {r3(catalog["meanContention"])}: with eight curl loops and the server on
two cores, the `jvm` door measures how late a newly woken thread runs (as a newcomer's knock
would), which reads far below what busy threads wait for a core; that wait is `cpu`, counted by
the kernel (a lone hiccup after a calm stretch does not count on the `jvm` door). `gcPauseSeconds` says how
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
    checkout = requests["POST /checkout"]
    orders = requests.get("GET /orders", {})
    block = f"""The `requests` part of `/actuator/contention` after a reset and the [README's load](../README.md#quick-start)
again, with three curl loops on `GET /orders` beside it (a real run, {machine}; `scripts/outputs.py` makes it):

```json
{json.dumps({"requests": requests}, indent=2)}
```"""
    figures = f"""Of the checkouts' time, {pct(share(checkout, "cpu"))} went waiting for a core (`cpu`: eleven curl loops and the shop
on two cores), {pct(share(checkout, "inventory-lock"))} queuing for `inventory-lock`, {pct(share(checkout, "http"))} waiting for a Tomcat worker and
{small_pct(share(checkout, "jvm"))} in GC pauses (`jvm`); {pct(checkout["rest"]["share"])} was left for the checkout's own work. The orders waited
for a connection {pct(share(orders, "dataSource"))} of their time."""
    return block, figures


def start(module, port):
    """Starts a sample app's jar on the port and waits until its endpoint answers."""
    app = subprocess.Popen(["java", "-jar", jar(module), f"--server.port={port}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(120):
        try:
            get("/actuator/contention", port)
            return app
        except OSError:
            time.sleep(0.5)
    app.terminate()
    sys.exit(f"{module} did not start on port {port}")


def stop(app):
    app.terminate()
    app.wait()


def compact(reading):
    return json.dumps(reading, separators=(",", ":"))


def alone_and_pooled(machine):
    """A fresh shop: fifty checkouts one after another, then six loops on GET /orders."""
    app = start("sample-app", PORT)
    try:
        for _ in range(50):
            urllib.request.urlopen(urllib.request.Request(BASE + "/checkout", method="POST"), timeout=10).read()
        alone_reading = get("/actuator/contention/checkout")
        reset()
        subprocess.run(["bash", "-c", ORDERS.format(base=BASE, clients="1 2 3 4 5 6") + "wait"], check=True)
        pool = get("/actuator/contention/dataSource")
        orders = get("/actuator/contention/orders")
        request = get("/actuator/contention")["requests"].get("GET /orders", {})
    finally:
        stop(app)
    alone = f"""```
$ for i in $(seq 1 50); do curl -s -o /dev/null -X POST 127.0.0.1:8080/checkout; done
$ curl -s 127.0.0.1:8080/actuator/contention/checkout
{compact(alone_reading)}
```

Fifty checkouts one after another, each about 2 ms, span the knocker's windows {alone_reading["sampledCalls"]} times (a 10 ms window
every 110 ms): the others count in `calls` only."""
    pooled = f"""```
$ for i in 1 2 3 4 5 6; do (end=$((SECONDS+10)); while [ $SECONDS -lt $end ]; do curl -s -o /dev/null 127.0.0.1:8080/orders; done) & done; wait
$ curl -s 127.0.0.1:8080/actuator/contention/dataSource
{compact(pool)}
$ curl -s 127.0.0.1:8080/actuator/contention/orders
{compact(orders)}
```

Both connections were taken {pct(pool["busyRatio"])} of the time (`busyRatio` {round(pool["busyRatio"], 2)}; a newcomer would have waited
`meanContention` {round(orders["meanContention"], 2)} of a call's time), and the calls spent {pct(orders["meanWaited"])} of their time waiting for a
connection (`meanWaited`; of the whole requests' time, `requests` says {pct(share(request, "dataSource"))}; a real run, {machine})."""
    return alone, pooled


def webflux(machine):
    """The price service under four clients on quotes, one 1 s report in the middle."""
    port = PORT + 1
    app = start("sample-webflux", port)
    base = f"http://127.0.0.1:{port}"
    try:
        clients = subprocess.Popen(["bash", "-c", """for i in 1 2 3 4; do
  (end=$((SECONDS+10)); while [ $SECONDS -lt $end ]; do curl -s -o /dev/null {base}/quotes/teapot; done) &
done
wait""".format(base=base)])
        time.sleep(4)
        with urllib.request.urlopen(base + "/report?ms=1000", timeout=30) as response:
            report = json.loads(response.read())
        clients.wait()
        reading = get("/actuator/contention", port)
    finally:
        stop(app)
    quote = reading["methods"]["quote"]
    loop = reading["doors"]["event-loop"]
    return f"""Output from a real run ({machine}, pretty-printed; `scripts/outputs.py` makes it):

```json
{json.dumps(reading, indent=4)}
```

The report printed `{{"thread":"{report["thread"]}","ms":{report["ms"]},...}}`: it held one of the
event loops for a second, and the door `event-loop` read {round(loop["contentionMetric"], 2)} over the run (idle loops read 0.001
to 0.06 in the tests). Each quote was measured to its end, riding the knocker's cycle:
{quote["sampledCalls"]:,} of {quote["calls"]:,} calls spanned a sampling window, {round(quote["meanContention"], 2)} on average on `price-lock`."""


def main():
    machine = f"{os.cpu_count()}-core machine, {platform.system()}"
    app = start("sample-app", PORT)
    try:
        version = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.split("\n")[0]
        machine += ", " + re.sub(r'.*version "([^"]+)".*', r"JDK \1", version)
        load(orders=False)
        first = get("/actuator/contention")
        # One endpoint alone: its method, then its uri as the path.
        one_endpoint = get("/actuator/contention/POST/checkout")
        with urllib.request.urlopen(BASE + "/actuator/prometheus", timeout=10) as response:
            scrape = response.read().decode()
        reset()
        load(orders=True)
        second = get("/actuator/contention")
    finally:
        stop(app)
    alone, pooled = alone_and_pooled(machine)
    loaded = f"""$ curl -s 127.0.0.1:8080/actuator/contention/checkout
{compact(first["methods"]["checkout"])}"""
    replace("docs/measured-methods.md", "alone", alone)
    replace("docs/measured-methods.md", "loaded", f"""Under the load of the quick start, `waited` says
how much of the checkouts' time was queuing for the lock ({pct(first["methods"]["checkout"]["meanWaited"])} on this run; the contention,
{round(first["methods"]["checkout"]["meanContention"], 2)}, counts each checkout's own holding as before):

```
{loaded}
```""")
    replace("docs/endpoint.md", "one-method", "  ```\n" + "\n".join("  " + line for line in loaded.split("\n")) + "\n  ```")
    endpoint = f"""$ curl -s 127.0.0.1:8080/actuator/contention/POST/checkout
{compact(one_endpoint)}"""
    replace("docs/endpoint.md", "one-endpoint", "  ```\n" + "\n".join("  " + line for line in endpoint.split("\n")) + "\n  ```")
    replace("docs/doors.md", "pooled", pooled)
    replace("docs/webflux.md", "webflux", webflux(machine))
    replace("README.md", "quick-start-excerpt", readme_excerpt(first, machine))
    replace("docs/endpoint.md", "full-reading", full_reading(first, machine))
    replace("docs/observability.md", "prometheus", prometheus_excerpt(scrape, machine))
    block, figures = requests_block(second, machine)
    replace("docs/requests.md", "requests", block)
    replace("docs/requests.md", "requests-figures", figures)
    checkout = first["requests"]["POST /checkout"]
    print("README: POST /checkout " + ", ".join(f"{door} {pct(value['share'])}" for door, value in checkout["waited"].items())
          + f", rest {pct(checkout['rest']['share'])}; checkout meanWaited {pct(first['methods']['checkout']['meanWaited'])}")
    again = second["requests"]["POST /checkout"]
    print("docs/requests.md: POST /checkout " + ", ".join(f"{door} {pct(value['share'])}" for door, value in again["waited"].items())
          + f", rest {pct(again['rest']['share'])}; GET /orders dataSource {pct(share(second['requests'].get('GET /orders', {}), 'dataSource'))}")
    print("rewrote README.md and docs/: see git diff")


if __name__ == "__main__":
    main()
