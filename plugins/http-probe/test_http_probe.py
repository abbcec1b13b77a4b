#!/usr/bin/env python3
"""http-probe against real HTTP servers on 127.0.0.1: status, body match, refused connections,
and the action that waits for a service to come up.   usage: test_http_probe.py GOAP"""
import json
import os
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "plugins"))
from goaptest import check, free_port, main  # noqa: E402


def world(env, ports, start_argv="[true]", wait="3s"):
    objects = "\n".join(f'  {n}: {{type: site, port: "{p}"}}' for n, p in ports.items())
    env.write("sites.yaml", f"""kind: world
name: sites
types: {{site: {{}}}}
objects:
{objects}
facts:
  up(site): bool
  started(site): bool
actions:
  start:
    params: {{s: site}}
    eff: [started($s)]
    run: {{plugin: command, with: {{argv: {start_argv}}}}}
  wait-up:
    params: {{s: site}}
    pre: [started($s)]
    eff: [up($s)]
    run:
      plugin: http-probe
      with: {{url: "http://127.0.0.1:${{s.port}}/health", body_match: "\\"status\\": *\\"ok\\"", timeout: {wait}, interval: 50ms}}
goals:
  up: {{priority: 1, forall: {{s: site}}, want: [up($s)]}}
""")
    env.write("sites.sensors.yaml", """kind: sensors
sensors:
  up($s):
    plugin: http-probe
    with: {url: "http://127.0.0.1:${s.port}/health", expect_status: [200, 204], body_match: "\\"status\\": *\\"ok\\"", timeout: 1s}
""")


def test_sensor_reads_status_and_body(env):
    ok, bad_status, bad_body, nobody = free_port(), free_port(), free_port(), free_port()
    env.service("start", ok, "ok.pid", ['/health=200:{"status": "ok"}'])
    env.service("start", bad_status, "bad.pid", ['/health=500:{"status": "ok"}'])
    env.service("start", bad_body, "body.pid", ['/health=200:{"status": "degraded"}'])
    for p in (ok, bad_status, bad_body):
        check(env.wait_http(p), "service up")
    world(env, {"a": ok, "b": bad_status, "c": bad_body, "d": nobody})
    out = env.goap_run("sense", "sites.yaml", "--sensed-only").stdout
    for line in ("- up(a)", "- not up(b)", "- not up(c)", "- not up(d)"):
        check(line in out, line, out)


def test_action_waits_for_a_service_that_comes_up_late(env):
    port = free_port()
    world(env, {"late": port}, env.service_argv("start", port, "late.pid", ['/health=200:{"status": "ok"}'])
          .replace('"start"', '"start", "--delay", "0.5"'))
    r = env.goap_run("run", "sites.yaml", "--retries", "0")
    check("start(late)" in r.stdout and "wait-up(late)" in r.stdout and "verified: up(late)" in r.stdout, "healed", r.stdout)


def test_action_times_out_when_nothing_answers(env):
    world(env, {"never": free_port()}, wait="1s")
    r = env.goap_run("run", "sites.yaml", "--retries", "0", rc=20)
    check("did not answer as expected within 1s" in r.stdout, "timeout", r.stdout)


def self_signed(env):
    """A throwaway self-signed certificate for 127.0.0.1 (openssl req): (cert, key) paths."""
    cert, key = env.path("tls", "cert.pem"), env.path("tls", "key.pem")
    os.makedirs(env.path("tls"), exist_ok=True)
    env.sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
           "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert)
    return cert, key


def https_world(env, port, ca_file):
    ca = f", ca_file: \"{ca_file}\"" if ca_file else ""
    env.write("tls.yaml", f"""kind: world
name: tls
types: {{site: {{}}}}
objects:
  web: {{type: site, port: "{port}"}}
facts:
  up(site): bool
  started(site): bool
actions:
  wait-up:
    params: {{s: site}}
    eff: [up($s)]
    run:
      plugin: http-probe
      with: {{url: "https://127.0.0.1:${{s.port}}/health", timeout: 1s, interval: 50ms{ca}}}
goals:
  up: {{priority: 1, forall: {{s: site}}, want: [up($s)]}}
""")
    env.write("tls.sensors.yaml", f"""kind: sensors
sensors:
  up($s): {{plugin: http-probe, with: {{url: "https://127.0.0.1:${{s.port}}/health", timeout: 2s{ca}}}}}
""")


def test_https_checks_the_certificate(env):
    cert, key = self_signed(env)
    port = free_port()
    env.service("start", port, "tls.pid", ['/health=200:{"status": "ok"}'], tls=(cert, key))
    end = time.time() + 5
    while time.time() < end:  # up when it completes a TLS handshake with its own certificate
        try:
            ctx = ssl.create_default_context(cafile=cert)
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s, ctx.wrap_socket(s, server_hostname="127.0.0.1"):
                break
        except OSError:
            time.sleep(0.05)
    # Trusting the test CA: the sensor reads the service over HTTPS, and the action succeeds.
    https_world(env, port, cert)
    out = json.loads(env.goap_run("sense", "tls.yaml", "--json").stdout)
    check(out["readings"][0]["status"] == "sensed" and out["readings"][0]["value"] == "true", "sensed over https", out)
    # The action, with a sensor that does not read up(web): it is done on the probe's word.
    other = env.write("other.sensors.yaml", "kind: sensors\nsensors:\n  started($s): {plugin: command, with: {argv: [\"true\"]}}\n")
    r = env.goap_run("run", "tls.yaml", "--sensors", other, "--retries", "0")
    check("wait-up(web)" in r.stdout and "done:" in r.stdout, "the action probes over https", r.stdout)
    # Without the CA: a certificate error, said plainly; the fact is unknown, not false.
    https_world(env, port, None)
    s = env.goap_run("sense", "tls.yaml", "--json", rc=None)
    out = json.loads(s.stdout)
    reading = out["readings"][0]
    check(reading["status"] == "unknown" and reading["value"] is None, "an unverified answer is no reading", out)
    check("certificate" in reading["error"] and "ca_file" in reading["error"], "a clear certificate error", reading)
    check([u["fact"] for u in out["unknown"]] == ["up(web)"], "listed as unknown", out)
    r = env.goap_run("run", "tls.yaml", "--sensors", other, "--retries", "0", rc=20)
    check("certificate check failed" in r.stdout, "the action says why", r.stdout)


def test_a_url_cannot_add_headers_or_requests(env):
    # A listener that records every byte sent to it: nothing may arrive.
    got = []
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(0.2)
    port = srv.getsockname()[1]
    done = threading.Event()

    def accept():
        while not done.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    got.append(conn.recv(65536))
                except OSError:
                    pass
    t = threading.Thread(target=accept)
    t.start()
    try:
        hostile = f"{port}/health HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET /second"
        world(env, {"web": hostile})
        out = env.goap_run("sense", "sites.yaml", rc=None)
        check("space or a control character" in out.stdout + out.stderr, "refused with a reason", out.stdout, out.stderr)
        r = env.goap_run("run", "sites.yaml", "--retries", "0", rc=None)
        check("space or a control character" in r.stdout and r.returncode != 0, "the step is refused", r.stdout)
    finally:
        done.set()
        t.join()
        srv.close()
    check(got == [], "no request reached the server", got)


if __name__ == "__main__":
    sys.exit(main([test_sensor_reads_status_and_body, test_action_waits_for_a_service_that_comes_up_late,
                   test_action_times_out_when_nothing_answers, test_https_checks_the_certificate,
                   test_a_url_cannot_add_headers_or_requests], sys.argv[1]))
