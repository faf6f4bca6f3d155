#!/usr/bin/env python3
"""The requests' `jvm` share against the kernel's own count of their threads' CPU wait.

Starts the sample shop's jar (or the one given), warms it up under the README's load for 5 s,
resets the endpoint, drives the README's load (four curl loops on POST /checkout, four on GET
/catalog) for 10 s, and compares two figures over that stretch:

- Knocker's: the requests' waited share at the `jvm` door, weighted by their seconds;
- the kernel's: the run-queue delay (second field of /proc/<pid>/task/<tid>/schedstat) of the
  Tomcat `exec` threads (named through `jcmd <pid> Thread.print`), over the requests' seconds.

The kernel's delay also holds the workers' moments outside requests (picking up the next one), so
it is an upper bound of the truth, not the truth itself.

    python3 benchmarks/requests-cpu-truth.py [jar] [port]
"""
import base64
import glob
import json
import re
import subprocess
import sys
import time
import urllib.request

JAR = sys.argv[1] if len(sys.argv) > 1 else next(
    j for j in glob.glob("sample-app/target/knocker-*.jar") if "original" not in j)
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 8096
BASE = f"http://127.0.0.1:{PORT}"
LOOPS = """
for i in 1 2 3 4; do
  (end=$((SECONDS+{s})); while [ $SECONDS -lt $end ]; do curl -s -o /dev/null -X POST {b}/checkout; done) &
  (end=$((SECONDS+{s})); while [ $SECONDS -lt $end ]; do curl -s -o /dev/null {b}/catalog; done) &
done
wait
"""


def get(path):
    with urllib.request.urlopen(BASE + path, timeout=10) as response:
        return json.loads(response.read())


def reset():
    request = urllib.request.Request(BASE + "/actuator/contention", method="POST", data=b'{"action":"reset"}',
                                     headers={"Content-Type": "application/json",
                                              "Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()})
    urllib.request.urlopen(request, timeout=10).read()


def delays(pid, skip):
    """Run-queue delay (ns) per Tomcat thread, but for those named in skip (acceptor, poller)."""
    found = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        tid = int(task.rsplit("/", 1)[1])
        try:
            if open(task + "/comm").read().startswith("http-nio-") and tid not in skip:
                found[tid] = int(open(task + "/schedstat").read().split()[1])
        except OSError:
            pass
    return found


app = subprocess.Popen(["java", "-jar", JAR, f"--server.port={PORT}"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(120):
        try:
            get("/actuator/contention")
            break
        except OSError:
            time.sleep(0.5)
    subprocess.run(["bash", "-c", LOOPS.format(b=BASE, s=5)], check=True)
    time.sleep(2)
    dump = subprocess.run(["jcmd", str(app.pid), "Thread.print"], capture_output=True, text=True).stdout
    skip = {int(m.group(2), 16) for m in re.finditer(r'^"([^"]+)".*?nid=(0x[0-9a-f]+)', dump, re.M)
            if m.group(1).startswith("http-nio") and "-exec-" not in m.group(1)}
    reset()
    before = delays(app.pid, skip)
    subprocess.run(["bash", "-c", LOOPS.format(b=BASE, s=10)], check=True)
    after = delays(app.pid, skip)
    reading = get("/actuator/contention")
    delay = sum(d - before.get(tid, 0) for tid, d in after.items()) / 1e9
    requests = reading["requests"]
    seconds = sum(r["seconds"] for r in requests.values())
    jvm = sum(r["seconds"] * r.get("waited", {}).get("jvm", 0) for r in requests.values())
    print(f"requests {seconds:.2f} s; their jvm share {jvm / seconds:.3f}; "
          f"Tomcat workers' run-queue delay {delay:.2f} s ({delay / seconds:.3f} of the requests' seconds); "
          f"jvm door {reading['doors']['jvm']['contentionMetric']:.3f}")
finally:
    app.terminate()
    app.wait()
