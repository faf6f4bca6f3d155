#!/usr/bin/env python3
"""The sample app at rest: CPU and context switches per second, from /proc, per configuration.

Starts the sample app's jar once per configuration (all at once, each on its own port: they are
idle, so they hardly disturb each other), lets them warm up, then reads every thread's CPU ticks
and context switches over the measured stretch. Prints a Markdown table, then the threads that
differ most from Knocker switched off.

    python3 benchmarks/idle-app.py [warm-up seconds] [measured seconds]
"""
import glob
import os
import subprocess
import sys
import time
import urllib.request

CONFIGS = [
    ("knocker off", ["--knocker.enabled=false"]),
    # The shop's /orders is measured on the dataSource door, so that door stays on.
    ("jvm + inventory-lock + dataSource", ["--knocker.auto-doors.http=false",
                                           "--knocker.auto-doors.task-executors=false"]),
    ("defaults (+ http, applicationTaskExecutor, dataSource)", []),
]
TICK = os.sysconf("SC_CLK_TCK")


def jar():
    jars = [j for j in glob.glob("sample-app/target/knocker-sample-app-*.jar") if "original" not in j]
    if not jars:
        sys.exit("build the sample app first: ./mvnw -B package -DskipTests -pl sample-app -am")
    return jars[0]


def threads(pid):
    """Thread name -> [ticks, context switches], threads of one name summed."""
    found = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            with open(f"{task}/stat") as f:
                stat = f.read()
            with open(f"{task}/status") as f:
                status = f.read()
        except OSError:
            continue  # the thread ended
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])
        switches = sum(int(line.split()[1]) for line in status.splitlines() if "ctxt_switches" in line)
        # Pool threads end in a number: group them (http-nio-8080-exec-1 -> http-nio-8080-exec-*).
        base = name.rstrip("0123456789")
        key = base + "*" if base != name else name
        entry = found.setdefault(key, [0, 0])
        entry[0] += ticks
        entry[1] += switches
    return found


def up(port):
    for _ in range(360):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/catalog", timeout=1).read()
            return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"the sample app on port {port} did not start")


def main():
    warm = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    measured = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    apps = []
    for i, (label, args) in enumerate(CONFIGS):
        port = 8181 + i
        process = subprocess.Popen(["java", "-jar", jar(), f"--server.port={port}"] + args,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        apps.append((label, port, process))
    try:
        for _, port, _ in apps:
            up(port)
        time.sleep(warm)
        before = [threads(p.pid) for _, _, p in apps]
        time.sleep(measured)
        after = [threads(p.pid) for _, _, p in apps]
    finally:
        for _, _, process in apps:
            process.terminate()
        for _, _, process in apps:
            process.wait()
    print(f"Sample app at rest: {warm} s warm-up, {measured} s measured, all configurations at once, "
          f"{os.cpu_count()} cores\n")
    print("| configuration | CPU (ms/s) | context switches/s |")
    print("|---|---:|---:|")
    deltas = []
    for (label, _, _), b, a in zip(apps, before, after):
        delta = {k: (v[0] - b.get(k, [0, 0])[0], v[1] - b.get(k, [0, 0])[1]) for k, v in a.items()}
        deltas.append(delta)
        cpu = sum(d[0] for d in delta.values()) * 1000 / TICK / measured
        switches = sum(d[1] for d in delta.values()) / measured
        print(f"| {label} | {cpu:.1f} | {switches:.0f} |")
    print("\nThreads (grouped by name) with the most context switches per second, per configuration:\n")
    for (label, _, _), delta in zip(apps, deltas):
        top = sorted(delta.items(), key=lambda item: -item[1][1])[:6]
        print(f"- {label}: " + ", ".join(f"{name} {d[1] / measured:.0f}/s {d[0] * 1000 / TICK / measured:.1f} ms/s"
                                         for name, d in top))


if __name__ == "__main__":
    main()
