#!/usr/bin/env python3
"""A tiny HTTP service on 127.0.0.1 for goap's plugin tests: a stand-in for Ollama, a health
endpoint, anything that answers GET with a fixed status and body.

  service.py serve   --port P [--route PATH=STATUS:BODY]...           answer in the foreground
  service.py start   --port P --pidfile F [--delay S] [--route ...]   start detached, record the pid
  service.py stop    --pidfile F                                      stop the one recorded
  service.py restart --port P --pidfile F [--route ...]               stop, then start
  --tls CERT KEY (serve, start): speak HTTPS with this certificate and key (PEM files)

`start` returns at once (the service comes up a moment later, as a real daemon would). The
detached service runs in its own session so it outlives the command that started it; tests
stop it through its pid file.
"""
import argparse
import http.server
import os
import signal
import subprocess
import sys
import time


def parse_routes(items):
    routes = {}
    for item in items or []:
        path, _, rest = item.partition("=")
        status, _, body = rest.partition(":")
        routes[path] = (int(status), body)
    return routes


def serve(args):
    routes = parse_routes(args.route)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, body = routes.get(self.path, (404, "not found"))
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if body.startswith("{") else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *a):
            pass

    if args.delay:
        time.sleep(args.delay)
    server = http.server.HTTPServer(("127.0.0.1", args.port), Handler)
    if args.tls:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    server.serve_forever()


def alive(pid):
    """True while the process runs (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def stop(pidfile):
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip())
    except (OSError, ValueError):
        return
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(200):
            if not alive(pid):
                break
            time.sleep(0.01)
        else:
            os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.unlink(pidfile)
    except OSError:
        pass


def start(args):
    cmd = [sys.executable, os.path.abspath(__file__), "serve", "--port", str(args.port)]
    if args.delay:
        cmd += ["--delay", str(args.delay)]
    for r in args.route or []:
        cmd += ["--route", r]
    if args.tls:
        cmd += ["--tls"] + args.tls
    log = open(args.pidfile + ".log", "ab")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    with open(args.pidfile, "w") as f:
        f.write(str(p.pid))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["serve", "start", "stop", "restart"])
    ap.add_argument("--port", type=int)
    ap.add_argument("--pidfile")
    ap.add_argument("--delay", type=float, default=0)
    ap.add_argument("--route", action="append")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = ap.parse_args()
    if args.mode == "serve":
        serve(args)
    elif args.mode == "start":
        start(args)
    elif args.mode == "stop":
        stop(args.pidfile)
    else:
        stop(args.pidfile)
        start(args)


if __name__ == "__main__":
    main()
