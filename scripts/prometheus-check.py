#!/usr/bin/env python3
"""A real Prometheus over two sample-app instances under load, for CI.

Installs Debian's prometheus if it is missing, starts two instances of the sample app on
loopback, scrapes them every second under load, and checks that every query of
dashboards/knocker.json returns data, that a per-call histogram's 99th percentile per method is
in [0, 1], that the fleet view of contention agrees with the
instances' own counters within 0.05, that restarting one instance (its counters start
over) keeps the fleet ratio within [0, 1], that an endpoint's share of time at a door, by the
users' query (SHARE) and by the dashboard's "Where requests wait" panel, agrees with each
instance's /actuator/contention within 0.05 over the same requests, and that no value of that
panel exceeds 1 over the run. It stops everything it started.
"""
import base64
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORTS = (18081, 18082)
PROMETHEUS = "127.0.0.1:19090"
QUANTILE = "histogram_quantile(0.99, sum by (le, method) (rate(knocker_method_waited_bucket[5m])))"
FLEET = ("sum by (door) (rate(knocker_contended_seconds_total[30s])) / "
         "sum by (door) (rate(knocker_sampled_seconds_total[30s]))")
# An endpoint's share at a door as users compute it (docs/requests.md), {range} and {instance}
# filled in per use.
SHARE = ('sum by (method, uri, door) (rate(knocker_request_waited_seconds_total{{instance="{instance}"}}[{range}])) '
         '/ ignoring(door) group_left '
         'sum by (method, uri) (rate(knocker_request_seconds_total{{instance="{instance}"}}[{range}]))')
# The endpoints HttpLoad drives: the ones whose requests both reads below can hold exactly.
LOADED = ("POST /checkout", "GET /catalog")
WHERE_REQUESTS_WAIT = "Where requests wait"
ADMIN = ("admin", "admin")  # the sample app's demo user that may POST /actuator/contention


def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


def wait_for(url, seconds=90):
    end = time.time() + seconds
    while time.time() < end:
        try:
            get(url, 2)
            return
        except Exception:
            time.sleep(0.5)
    raise SystemExit("not up after %d s: %s" % (seconds, url))


def post(url, body, auth):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/json",
        "Authorization": "Basic " + base64.b64encode(("%s:%s" % auth).encode()).decode()})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read().decode()


def query(expr, at=None):
    params = {"query": expr}
    if at is not None:
        params["time"] = "%.3f" % at
    url = "http://%s/api/v1/query?%s" % (PROMETHEUS, urllib.parse.urlencode(params))
    body = json.loads(get(url))
    if body["status"] != "success":
        raise SystemExit("query failed: %s: %s" % (expr, body))
    return body["data"]["result"]


def query_range(expr, start, end):
    url = "http://%s/api/v1/query_range?%s" % (PROMETHEUS, urllib.parse.urlencode(
        {"query": expr, "start": start, "end": end, "step": "1"}))
    body = json.loads(get(url))
    if body["status"] != "success":
        raise SystemExit("query failed: %s: %s" % (expr, body))
    return body["data"]["result"]


def share_of(part):
    """A part's share in the endpoint's JSON: a plain number, or {"seconds": ..., "share": ...}."""
    return float(part["share"]) if isinstance(part, dict) else float(part)


def own_shares(port):
    """The instance's /actuator/contention requests section: {(endpoint, door): share}, requests."""
    requests = json.loads(get("http://127.0.0.1:%d/actuator/contention" % port)).get("requests") or {}
    shares, counts = {}, {}
    for key, endpoint in requests.items():
        counts[key] = endpoint.get("count", endpoint.get("requests", 0))
        for door, part in (endpoint.get("waited") or {}).items():
            shares[(key, door)] = share_of(part)
    return shares, counts


def missed_resets(instance, restarted, seconds):
    """The endpoints (method, uri) of a restarted instance with a request counter that came
    back at or above its last value before the restart: a reset Prometheus cannot see."""
    missed = set()
    for series in query('{__name__=~"knocker_request_seconds_total|knocker_request_waited_seconds_total", '
                        'instance="%s"}[%ds]' % (instance, seconds)):
        samples = [(float(t), float(v)) for t, v in series["values"]]
        # The old process's last sample and the new one's first: across the first gap in the
        # scrapes (the instance down while it starts again) after the restart began.
        for (t0, old), (t1, new) in zip(samples, samples[1:]):
            if t1 > restarted and t1 - t0 > 3:
                if new >= old > 0:
                    missed.add((series["metric"].get("method"), series["metric"].get("uri")))
                break
    return missed


def counters(port):
    """The instance's own knocker_contended/sampled seconds, by door."""
    text = get("http://127.0.0.1:%d/actuator/prometheus" % port)
    found = {}
    for name in ("contended", "sampled"):
        for door, value in re.findall(r'^knocker_%s_seconds_total\{door="([^"]+)"[^}]*\} (\S+)$' % name, text, re.M):
            found.setdefault(door, {})[name] = float(value)
    return found


def main():
    if shutil.which("prometheus") is None:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "prometheus"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    jar = [j for j in glob.glob(os.path.join(ROOT, "sample-app/target/knocker-sample-app-*.jar"))
           if not j.endswith(".original")][0]
    bench = os.path.join(ROOT, "benchmarks/target/benchmarks.jar")
    work = tempfile.mkdtemp(prefix="knocker-prometheus-")
    processes = {}

    def start_app(port):
        log = open(os.path.join(work, "app-%d.log" % port), "a")
        processes[port] = subprocess.Popen(["java", "-jar", jar, "--server.port=%d" % port],
                                           stdout=log, stderr=subprocess.STDOUT)
        wait_for("http://127.0.0.1:%d/actuator/health" % port)

    def load(seconds):
        return [subprocess.Popen(["java", "-cp", bench, "io.knocker.benchmarks.HttpLoad", str(port), str(seconds)],
                                 stdout=subprocess.DEVNULL) for port in PORTS]

    try:
        for port in PORTS:
            start_app(port)
        began = time.time()
        with open(os.path.join(work, "prometheus.yml"), "w") as config:
            config.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                         "scrape_configs:\n  - job_name: knocker\n    metrics_path: /actuator/prometheus\n"
                         "    static_configs:\n      - targets: [%s]\n"
                         % ", ".join("'127.0.0.1:%d'" % port for port in PORTS))
        processes["prometheus"] = subprocess.Popen(
            ["prometheus", "--config.file=" + os.path.join(work, "prometheus.yml"),
             "--storage.tsdb.path=" + os.path.join(work, "data"), "--web.listen-address=" + PROMETHEUS],
            stdout=open(os.path.join(work, "prometheus.log"), "w"), stderr=subprocess.STDOUT)
        wait_for("http://%s/-/ready" % PROMETHEUS)
        loads = load(100)
        # Rates over [1m] and [5m] need a minute or more of scrapes to settle; [30s] half that.
        time.sleep(40)
        settled = time.time()

        dashboard = json.load(open(os.path.join(ROOT, "dashboards/knocker.json")))
        exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
        waits = [target["expr"] for panel in dashboard["panels"] if panel["title"].startswith(WHERE_REQUESTS_WAIT)
                 for target in panel["targets"]]
        if not waits:
            raise SystemExit("no panel %r in the dashboard" % WHERE_REQUESTS_WAIT)
        empty = []
        for expr in exprs:
            concrete = expr.replace("$instance", ".*").replace("$door", ".*").replace("$method", ".*")
            if not query(concrete):
                empty.append(expr)
        if empty:
            raise SystemExit("dashboard queries without data:\n  " + "\n  ".join(empty))
        # The per-call histograms as Prometheus users read them: a quantile per method, in 0-1.
        quantiles = {r["metric"].get("method"): float(r["value"][1]) for r in query(QUANTILE)}
        print("p99 waited per method:", quantiles)
        if not any(0 <= q <= 1 for q in quantiles.values()) or any(q < 0 or q > 1 for q in quantiles.values()):
            raise SystemExit("%s: expected quantiles in [0, 1], got %s" % (QUANTILE, quantiles))

        before = {port: counters(port) for port in PORTS}
        time.sleep(30)
        after = {port: counters(port) for port in PORTS}
        fleet = {r["metric"]["door"]: float(r["value"][1]) for r in query(FLEET)}
        compared = []
        for door in ("jvm", "inventory-lock", "http"):
            contended = sum(after[p][door]["contended"] - before[p][door]["contended"] for p in PORTS)
            sampled = sum(after[p][door]["sampled"] - before[p][door]["sampled"] for p in PORTS)
            own = contended / sampled
            compared.append("%s %.3f vs %.3f" % (door, fleet[door], own))
            if abs(fleet[door] - own) > 0.05:
                raise SystemExit("fleet ratio for %s is %.3f; the instances' own counters say %.3f"
                                 % (door, fleet[door], own))

        restarted = time.time()
        processes[PORTS[1]].terminate()
        processes[PORTS[1]].wait(30)
        start_app(PORTS[1])
        loads.append(subprocess.Popen(["java", "-cp", bench, "io.knocker.benchmarks.HttpLoad", str(PORTS[1]), "25"],
                                      stdout=subprocess.DEVNULL))
        time.sleep(25)
        values = [(series["metric"]["door"], float(v)) for series in query_range(FLEET, restarted - 10, time.time())
                  for _, v in series["values"] if v not in ("NaN", "+Inf", "-Inf")]
        # A door taken all along reads 1: rate() extrapolates its two counters a hair apart
        # (1.0002 seen), so 1.001 is the bound; a mishandled counter reset would read far out.
        outside = [(door, v) for door, v in values if v < 0 or v > 1.001]
        if not values or outside:
            raise SystemExit("across a restart the fleet ratio left [0, 1]: %s" % outside[:10])
        for process in loads:
            process.wait(120)

        # The share of an endpoint's time at a door, Prometheus's against the instance's own
        # JSON, over the same requests. The JSON counts since start or reset, a rate counts
        # the samples in its range, so: with no load running, reset each instance's JSON
        # (POST, the sample app's admin may) and keep quiet a few scrapes; load it; keep quiet
        # a few scrapes again; then read the JSON, and evaluate the queries now over a range
        # that starts in the first quiet gap. The range's first sample (taken in that gap)
        # holds the counters as they stood at the reset, its last (after the load) as the JSON
        # reads them, so both count exactly the loaded endpoints' requests since the reset
        # (the counters are monotonic: a reset does not touch them). rate() extrapolates a
        # range's increase to its ends, but the waited and the seconds counters are scraped
        # together and so scaled alike: the ratio is the ratio of the increases. Checked: the
        # users' query (SHARE) and the dashboard panel's own expression, on that range. Only
        # the loaded endpoints: the scrapes' own endpoint gets a request every second, so two
        # reads can never hold the same of its requests.
        for port in PORTS:
            post("http://127.0.0.1:%d/actuator/contention" % port, {"action": "reset"}, ADMIN)
        reset = time.time()
        time.sleep(5)
        for process in load(20):
            process.wait(120)
        time.sleep(4)
        evaluated = time.time()
        window = "%dms" % int((evaluated - (reset + 2)) * 1000)
        shares = []
        for port in PORTS:
            own, counts = own_shares(port)
            instance = "127.0.0.1:%d" % port
            queries = {"query": SHARE.format(instance=instance, range=window)}
            for i, expr in enumerate(waits):
                queries["panel" if len(waits) == 1 else "panel %d" % i] = re.sub(
                    r"\[[^\]]+\]", "[%s]" % window, expr.replace("$instance", instance))
            read = {}
            for name, expr in queries.items():
                read[name] = {("%s %s" % (r["metric"].get("method"), r["metric"].get("uri")), r["metric"].get("door")):
                              float(r["value"][1]) for r in query(expr, evaluated)
                              if r["value"][1] not in ("NaN", "+Inf", "-Inf")}
            for endpoint in LOADED:
                if not counts.get(endpoint):
                    raise SystemExit("%s: no %s request in /actuator/contention after the load: %s"
                                     % (instance, endpoint, counts))
                for name, expr in queries.items():
                    theirs = read[name]
                    doors = sorted({d for e, d in own if e == endpoint} | {d for e, d in theirs if e == endpoint})
                    if not any((endpoint, d) in theirs for d in doors):
                        raise SystemExit("%s: %s has no share in Prometheus by the %s:\n  %s"
                                         % (instance, endpoint, name, expr))
                    for door in doors:
                        # A door missing on one side waited nothing there (JSON: cannot tell).
                        mine, prom = own.get((endpoint, door), 0.0), theirs.get((endpoint, door), 0.0)
                        shares.append("%s %s %s, %s: %.3f vs %.3f" % (port, endpoint, door, name, prom, mine))
                        if abs(prom - mine) > 0.05:
                            raise SystemExit("%s: %s at %s: the %s reads %.3f, /actuator/contention %.3f "
                                             "(%d requests)\n  %s"
                                             % (instance, endpoint, door, name, prom, mine, counts[endpoint], expr))
        print("share per endpoint and door, Prometheus vs /actuator/contention, over the same %d ms:\n  %s"
              % (int(window[:-2]), "\n  ".join(shares)))

        # The dashboard's "Where requests wait", fleet-wide, from the settled scrapes above to
        # the end (the restart and the reset in it): a share of an endpoint's time never
        # exceeds 1, per door and stacked. As for FLEET, 1.001 allows rate()'s extrapolation.
        # Settled: in a series' first seconds its rate rests on two or three scrapes, and one
        # scrape that read the seconds counter just before a burst of bookings and the waited
        # counter just after swings it (1.05 seen once, on POST /checkout's first scrapes).
        # Left out, and named: an endpoint whose counters on the restarted instance came back
        # above where they stood (GET /actuator/health, polled only while an instance starts,
        # and a restart under load starts slowly): Prometheus sees a counter reset only as a
        # drop, so it reads that restart as a small increase, differently for each counter,
        # and any ratio of those counters is wrong for the next 5 minutes, whatever the
        # denominator.
        missed = missed_resets("127.0.0.1:%d" % PORTS[1], restarted, time.time() - began + 60)
        stacked = {}
        wait_values = []
        for expr in waits:
            concrete = expr.replace("$instance", ".*")
            for series in query_range(concrete, settled, time.time()):
                m = series["metric"]
                if (m.get("method"), m.get("uri")) in missed:
                    continue
                for at, v in series["values"]:
                    if v in ("NaN", "+Inf", "-Inf"):
                        continue
                    wait_values.append(("%s %s %s" % (m.get("method"), m.get("uri"), m.get("door")), float(v)))
                    key = (m.get("method"), m.get("uri"), at)
                    stacked[key] = stacked.get(key, 0.0) + float(v)
        above = [(name, v) for name, v in wait_values if v > 1.001]
        if not wait_values or above:
            raise SystemExit("%r read above 1: %s\n  %s" % (WHERE_REQUESTS_WAIT, above[:10], "\n  ".join(waits)))
        # Stacked, 1.02: the ledger books a look longer than its short request from time
        # earlier requests left to no part (so that the sum is unbiased and never above the
        # endpoint's time since start); a 5-minute range can take such a look and not the
        # earlier time it rests on (1.0096 seen). A wrong denominator read 1.30-2.73.
        piled = [("%s %s" % key[:2], v) for key, v in stacked.items() if v > 1.02]
        if piled:
            raise SystemExit("%r stacked above 1: %s" % (WHERE_REQUESTS_WAIT, piled[:10]))
        top = max(wait_values, key=lambda nv: nv[1])
        print("%r: %d values over the run, highest %.4f (%s), highest stack %.4f; left out, their counters' "
              "restart unseen by Prometheus: %s"
              % (WHERE_REQUESTS_WAIT, len(wait_values), top[1], top[0], max(stacked.values()),
                 ", ".join("%s %s" % e for e in sorted(missed)) or "none"))

        print("prometheus check: %d dashboard queries return data; fleet vs own counters: %s; "
              "%d fleet values across a restart, from %.4f to %.4f"
              % (len(exprs), ", ".join(compared), len(values), min(v for _, v in values), max(v for _, v in values)))
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        for process in processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
