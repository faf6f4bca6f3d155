#!/usr/bin/env python3
"""The starter in fresh applications on each Spring Boot line, for CI.

What a new user does, per line: a new Maven project with Spring Boot's starter parent, the
starter from the local repository (put there by `./mvnw -B install -DskipTests`, as the README
says), a lock door, a @KnockMeasured method and the endpoint exposed. Each app is built, started
with `java -jar`, and checked over HTTP: the server's own door (`http` on Tomcat, `event-loop`
on Reactor Netty) appears, a measured call shows with its waited figure, and the endpoint's
writes work (`{}` resets; stop and start). Exits 1 on the first failure.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APPS = (("3.5.7", "servlet"), ("3.5.7", "webflux"), ("4.1.2", "servlet"))
PORT = 18181
# Reactor Netty runs on NIO; the native transports' per-platform jars are left out, as in
# the project's own WebFlux modules.
NETTY_NATIVES = ("netty-codec-native-quic", "netty-resolver-dns-native-macos",
                 "netty-transport-native-epoll", "netty-transport-native-kqueue",
                 "netty-transport-native-io_uring")

POM = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
    <modelVersion>4.0.0</modelVersion>
    <parent>
        <groupId>org.springframework.boot</groupId>
        <artifactId>spring-boot-starter-parent</artifactId>
        <version>{boot}</version>
        <relativePath/>
    </parent>
    <groupId>demo</groupId>
    <artifactId>demo</artifactId>
    <version>1</version>
    <dependencies>
        <dependency>
            <groupId>io.knocker</groupId>
            <artifactId>knocker-spring-boot-starter</artifactId>
            <version>{knocker}</version>
        </dependency>
        <dependency>
            <groupId>org.springframework.boot</groupId>
            <artifactId>spring-boot-starter-{web}</artifactId>
            <exclusions>{exclusions}</exclusions>
        </dependency>
    </dependencies>
    <build>
        <finalName>demo</finalName>
        <plugins>
            <plugin>
                <groupId>org.springframework.boot</groupId>
                <artifactId>spring-boot-maven-plugin</artifactId>
            </plugin>
        </plugins>
    </build>
</project>
"""

APP = """package demo;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import io.knocker.KnockMeasured;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }

    @Bean
    ReentrantLock orderLock() {
        return new ReentrantLock();
    }

    @Service
    public static class Orders {

        private final ReentrantLock lock;

        public Orders(ReentrantLock orderLock) {
            this.lock = orderLock;
        }

        @KnockMeasured(door = "order-lock")
        public String place() {
            this.lock.lock();
            try {
                LockSupport.parkNanos(5_000_000);
                return "placed";
            }
            finally {
                this.lock.unlock();
            }
        }

    }

    @RestController
    public static class OrderController {

        private final Orders orders;

        public OrderController(Orders orders) {
            this.orders = orders;
        }

        @GetMapping("/place")
        public String place() {
            return this.orders.place();
        }

    }

}
"""

PROPERTIES = """server.port={port}
server.address=127.0.0.1
management.endpoints.web.exposure.include=contention
management.endpoint.contention.access=unrestricted
knocker.doors.order-lock.bean=orderLock
"""


def request(path, body=None):
    data = None if body is None else body.encode()
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (PORT, path), data=data,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as response:
        text = response.read().decode()
        return response.status, text


def check(boot, web, app_dir, knocker):
    exclusions = "".join("<exclusion><groupId>io.netty</groupId><artifactId>%s</artifactId></exclusion>" % a
                         for a in NETTY_NATIVES) if web == "webflux" else ""
    os.makedirs(os.path.join(app_dir, "src/main/java/demo"))
    os.makedirs(os.path.join(app_dir, "src/main/resources"))
    with open(os.path.join(app_dir, "pom.xml"), "w") as f:
        f.write(POM.format(boot=boot, knocker=knocker, web="web" if web == "servlet" else "webflux",
                           exclusions=exclusions))
    with open(os.path.join(app_dir, "src/main/java/demo/DemoApplication.java"), "w") as f:
        f.write(APP)
    with open(os.path.join(app_dir, "src/main/resources/application.properties"), "w") as f:
        f.write(PROPERTIES.format(port=PORT))
    subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "-f", os.path.join(app_dir, "pom.xml"),
                    "package", "-DskipTests"], check=True)
    log = open(os.path.join(app_dir, "app.log"), "w")
    app = subprocess.Popen(["java", "-jar", os.path.join(app_dir, "target/demo.jar")], stdout=log,
                           stderr=subprocess.STDOUT)
    server_door = "http" if web == "servlet" else "event-loop"
    try:
        deadline = time.time() + 60
        doors = {}
        while time.time() < deadline:
            try:
                doors = json.loads(request("/actuator/contention")[1])["doors"]
                if server_door in doors:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        for door in ("jvm", "order-lock", server_door):
            if door not in doors:
                raise AssertionError("no %s door; doors: %s (log: %s)" % (door, sorted(doors), log.name))
        for _ in range(20):
            request("/place")
        contention = json.loads(request("/actuator/contention")[1])
        methods = contention["methods"]
        place = next((m for name, m in methods.items() if name.endswith(".place")), None)
        if place is None or place["calls"] < 20 or "meanWaited" not in place:
            raise AssertionError("the measured method is missing or short: %s" % methods)
        if place["door"] != "order-lock":
            raise AssertionError("the method's door is %s" % place["door"])
        status, body = request("/actuator/contention", "{}")
        if status != 200 or not json.loads(body)["running"]:
            raise AssertionError("POST {} (reset) answered %d %s" % (status, body))
        stopped = json.loads(request("/actuator/contention", '{"action":"stop"}')[1])
        started = json.loads(request("/actuator/contention", '{"action":"start"}')[1])
        if stopped["running"] or not started["running"]:
            raise AssertionError("stop then start read running %s, %s" % (stopped["running"], started["running"]))
        print("Spring Boot %s %s: doors %s; %s: %d calls, meanWaited %s; reset, stop and start answered"
              % (boot, web, ", ".join(sorted(doors)), next(n for n in methods if n.endswith(".place")),
                 place["calls"], place["meanWaited"]))
    finally:
        app.terminate()
        app.wait(timeout=30)
        log.close()


def main():
    with open(os.path.join(ROOT, "pom.xml")) as f:
        knocker = re.search(r"<artifactId>knocker-parent</artifactId>\s*<version>([^<]+)</version>", f.read()).group(1)
    work = tempfile.mkdtemp(prefix="knocker-boot-lines-")
    for boot, web in APPS:
        try:
            check(boot, web, os.path.join(work, "%s-%s" % (boot, web)), knocker)
        except (AssertionError, subprocess.CalledProcessError, OSError) as e:
            print("Spring Boot %s %s FAILED: %s" % (boot, web, e), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
