#!/usr/bin/env python3
"""What following every request costs the sample app under steady load: requests on and off.

Alternates runs (ABBA order) of the sample app's jar with `knocker.requests.enabled` true and false, ROUNDS
times each. Each run: 10 s of HttpLoad to warm up, then 20 s measured, during which the CPU of
Knocker's own threads (`knocker*`, from /proc/<pid>/task/*/schedstat, nanoseconds) and the
requests completed per second are read. The load is eight clients on GET /catalog (about 1 ms
of work each), or the README's load with LOAD=readme. Prints one line per run and the means.

    python3 benchmarks/requests-cost.py [rounds]
"""
import glob
import os
import statistics
import subprocess
import sys
import time
import urllib.request

PORT = 8092
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
LOAD = [] if os.environ.get("LOAD") == "readme" else ["/catalog"]
BENCH = "benchmarks/target/benchmarks.jar"


def jar():
    jars = [j for j in glob.glob("sample-app/target/knocker-sample-app-*.jar") if "original" not in j]
    if not jars:
        sys.exit("build first: ./mvnw -B package -DskipTests")
    return jars[0]


def knocker_cpu(pid):
    total = 0
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            with open(f"{task}/comm") as f:
                name = f.read().strip()
            if name.startswith("knocker"):
                with open(f"{task}/schedstat") as f:
                    total += int(f.read().split()[0])
        except OSError:
            pass  # the thread ended
    return total


def load(seconds):
    out = subprocess.run(["java", "-cp", BENCH, "io.knocker.benchmarks.HttpLoad", str(PORT), str(seconds)] + LOAD,
                         capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def run(enabled):
    app = subprocess.Popen(["java", "-jar", jar(), f"--server.port={PORT}", f"--knocker.requests.enabled={enabled}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/catalog", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        load(10)
        before, started = knocker_cpu(app.pid), time.monotonic()
        rate = load(20)
        cpu = (knocker_cpu(app.pid) - before) / 1e6 / (time.monotonic() - started)
        return rate, cpu
    finally:
        app.terminate()
        app.wait()


def main():
    results = {True: [], False: []}
    for round_ in range(ROUNDS):
        # Alternating which goes first, so that a drift of the machine falls on both.
        for enabled in ((False, True) if round_ % 2 == 0 else (True, False)):
            rate, cpu = run(enabled)
            results[enabled].append((rate, cpu))
            print(f"requests.enabled={str(enabled).lower():5}  {rate:8.1f} requests/s  knocker {cpu:6.2f} ms/s",
                  flush=True)
    for enabled in (False, True):
        rates = [r for r, _ in results[enabled]]
        cpus = [c for _, c in results[enabled]]
        print(f"mean requests.enabled={str(enabled).lower():5}  {statistics.mean(rates):8.1f} requests/s  "
              f"knocker {statistics.mean(cpus):6.2f} ms/s")


if __name__ == "__main__":
    main()
