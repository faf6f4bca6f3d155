#!/usr/bin/env python3
"""The release shape Maven Central accepts, checked without publishing, for CI.

Deploys the whole build with the release profile into a scratch file repository (no key, no
password, nothing leaves the machine), then checks that exactly the published modules are
there, each with what Maven Central requires: the jar, the sources jar and the Javadoc jar
(only the POM for the BOM), and a POM that stands alone (no parent) with a name, a
description, a URL, a license, developers and SCM. Lists what it found; exits 1 on anything
missing.
"""
import glob
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GROUP = "io/knocker"
PUBLISHED = {
    "knocker-bom": ("pom",),
    "knocker-core": ("jar", "sources.jar", "javadoc.jar", "pom"),
    "knocker-spring-boot-autoconfigure": ("jar", "sources.jar", "javadoc.jar", "pom"),
    "knocker-spring-boot-starter": ("jar", "sources.jar", "javadoc.jar", "pom"),
}
REQUIRED = ("name", "description", "url", "licenses/license/name", "licenses/license/url",
            "developers/developer/name", "scm/url", "scm/connection")
NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def pom_problems(path):
    root = ET.parse(path).getroot()
    problems = []
    if root.find("m:parent", NS) is not None:
        problems.append("has a parent (the POM should be flattened)")
    for element in REQUIRED:
        found = root.find("/".join("m:" + part for part in element.split("/")), NS)
        if found is None or not (found.text or "").strip():
            problems.append("no <%s>" % element)
    return problems


def main():
    scratch = tempfile.mkdtemp(prefix="knocker-release-")
    subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "-Prelease", "-DskipTests",
                    "-DaltDeploymentRepository=scratch::file://" + scratch, "deploy"],
                   cwd=ROOT, check=True)
    failures = []
    deployed = sorted(os.listdir(os.path.join(scratch, GROUP)))
    for artifact in deployed:
        if artifact not in PUBLISHED:
            failures.append("%s was published; only %s should be" % (artifact, ", ".join(PUBLISHED)))
    for artifact, kinds in PUBLISHED.items():
        version_dir = glob.glob(os.path.join(scratch, GROUP, artifact, "*"))
        files = sorted(f for d in version_dir if os.path.isdir(d) for f in glob.glob(os.path.join(d, "*")))
        for kind in kinds:
            # A snapshot deploy names files artifact-0.1.0-<timestamp>-<n>[-classifier].ext
            suffix = ("-" + kind) if "." in kind and not kind.startswith("jar") else "." + kind
            matches = [f for f in files if f.endswith(suffix) and (kind != "jar" or
                       not f.endswith(("-sources.jar", "-javadoc.jar")))]
            if not matches:
                failures.append("%s: no %s" % (artifact, kind))
                continue
            print("found %s" % os.path.relpath(matches[-1], scratch))
            if kind == "pom":
                failures += ["%s: POM %s" % (artifact, p) for p in pom_problems(matches[-1])]
    if failures:
        print("release check FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print("release check passed: %d modules, each with what Maven Central requires" % len(PUBLISHED))
    return 0


if __name__ == "__main__":
    sys.exit(main())
