#!/usr/bin/env python3
"""A real Prometheus over two sample-app instances under load, for CI.

Installs Debian's prometheus if it is missing, starts two instances of the sample app on
loopback, scrapes them every second under load, and checks that every query of
dashboards/knocker.json returns data, that a per-call histogram's 99th percentile per method is
in [0, 1], that the fleet view of contention agrees with the
instances' own counters within 0.05, and that restarting one instance (its counters start
over) keeps the fleet ratio within [0, 1]. It stops everything it started.
"""
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


def query(expr):
    url = "http://%s/api/v1/query?%s" % (PROMETHEUS, urllib.parse.urlencode({"query": expr}))
    body = json.loads(get(url))
    if body["status"] != "success":
        raise SystemExit("query failed: %s: %s" % (expr, body))
    return body["data"]["result"]


def query_range(expr, start, end):
    url = "http://%s/api/v1/query_range?%s" % (PROMETHEUS, urllib.parse.urlencode(
        {"query": expr, "start": start, "end": end, "step": "1"}))
    return json.loads(get(url))["data"]["result"]


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

        dashboard = json.load(open(os.path.join(ROOT, "dashboards/knocker.json")))
        exprs = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
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
