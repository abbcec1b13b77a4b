#!/usr/bin/env python3
"""`goap batch` never loses an answer: usage: run_batch_hardening.py GOAP SOURCE_ROOT.

Each check is a way a batch used to fail (issue #20, item 3):
- a line starting with a non-ASCII byte gave exit 1 and no answer at all;
- a request naming a FIFO blocked the whole batch;
- a 46 MB line used 784 MB;
- answers came only at the end, so a consumer waited for the slowest request.
Now every request line gets exactly one answer, in order, streamed; a bad line gets
`"status": "error"` with its line number; each request has its own limits. No check times
anything: "streamed" means an answer arrives while goap still waits for the next line.
"""
import json
import os
import resource
import select
import shutil
import stat
import subprocess
import sys
import tempfile

goap, root = sys.argv[1], sys.argv[2]
soldier = os.path.join(root, "tests", "batch", "soldier", "world.yaml")
inst = os.path.join(root, "tests", "pddl", "instances")
blocks = {"domain": f"{inst}/blocks/domain.pddl", "problem": f"{inst}/blocks/probBLOCKS-4-0.pddl"}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what if len(what) <= 600 else what[:600] + "...")


def batch(data: bytes, *args, timeout=60):
    """Runs `goap batch ARGS -` on DATA; returns (exit code, answers as dicts, stderr)."""
    try:
        p = subprocess.run([goap, "batch", *args, "-"], input=data, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:  # run() has killed goap
        failures.append(f"batch {args}: no exit within {timeout} s")
        return None, [], ""
    try:
        text = p.stdout.decode("utf-8")  # strict: every answer is valid UTF-8
    except UnicodeDecodeError as e:
        failures.append(f"batch {args}: the answers are not valid UTF-8: {e}")
        return p.returncode, [], p.stderr.decode("utf-8", "replace")
    answers = []
    for l in text.splitlines():
        try:
            answers.append(json.loads(l))
        except ValueError:
            failures.append(f"batch {args}: an answer line is not JSON: {l[:200]!r}")
    return p.returncode, answers, p.stderr.decode("utf-8", "replace")


def line(obj) -> bytes:
    return (json.dumps(obj) if not isinstance(obj, bytes) else obj.decode("latin-1")).encode("latin-1") + b"\n"


def error_answer(a, line_no, words=()):
    ok = a.get("status") == "error" and a.get("line") == line_no and isinstance(a.get("error"), str) and a["error"]
    check(ok, f"line {line_no}: expected an error answer: {a}")
    for w in words:
        check(w in a.get("error", ""), f"line {line_no}: {w!r} not in {a.get('error')!r}")


tmp = tempfile.mkdtemp(prefix="goap-batch-hardening-")
try:
    # Bad lines of every kind, each answered where it stands; the good ones around them too.
    bad_world = os.path.join(tmp, "latin1.yaml")
    with open(bad_world, "wb") as f:
        f.write(b"kind: world\nname: caf\xe9\n")
    data = (b'\xff{"world": "x"}\n'                                  # 1: starts with a non-ASCII byte
            + line({"id": "ok", "world": soldier})                  # 2
            + b"this line is not JSON\n"                            # 3
            + b"[1, 2]\n"                                           # 4: JSON, not an object
            + b'{"id": "caf\xc3", "world": 1}\n'                    # 5: a cut UTF-8 sequence
            + b"\n   \n"                                            # 6, 7: blank: no request, no answer
            + b'{"world": "' + b"a" * (2 << 20) + b'"}\n'           # 8: over 1 MiB
            + line({"world": bad_world})                            # 9: a file with a Latin-1 byte
            + line({"id": "last", **blocks}))                       # 10, no newline needed after it
    outs = {}
    for threads in ("1", "2"):
        rc, answers, err = batch(data, "--threads", threads)
        check(rc == 0, f"bad lines, --threads {threads}: exit {rc}: {err[:500]}")
        for a in answers:
            check(isinstance(a.get("ms"), (int, float)), f"no ms in {a}")
            a.pop("ms", None)
        outs[threads] = answers
    check(outs["1"] == outs["2"], "bad lines: the answers differ between --threads 1 and 2")
    a = outs["1"]
    check(len(a) == 8, f"bad lines: {len(a)} answers for 8 requests: {[x.get('id') for x in a]}")
    if len(a) == 8:
        check([x["id"] for x in a] == [1, "ok", 3, 4, 5, 8, 9, "last"], f"ids: {[x['id'] for x in a]}")
        error_answer(a[0], 1, ["UTF-8", "0xff"])
        check(a[1]["status"] == "plan" and a[1]["cost"] == 4, f"the soldier after a bad line: {a[1]}")
        error_answer(a[2], 3, ["not JSON"])
        error_answer(a[3], 4, ["JSON object"])
        error_answer(a[4], 5, ["UTF-8"])
        error_answer(a[5], 8, ["1 MiB"])
        error_answer(a[6], 9, ["latin1.yaml"])
        check(a[7]["status"] == "plan" and a[7]["cost"] == 6, f"the last request: {a[7]}")

    # A 46 MB line is refused without being held: goap stays far below the line's size.
    big = b'{"world": "' + b"b" * (46 << 20) + b'"}\n' + line({"id": "after", "world": soldier})
    rc, answers, err = batch(big, "--threads", "2")
    del big
    check(rc == 0 and len(answers) == 2, f"46 MB line: exit {rc}, {len(answers)} answers: {err[:300]}")
    if len(answers) == 2:
        error_answer(answers[0], 1, ["over the limit"])
        check(answers[1]["status"] == "plan", f"the request after the 46 MB line: {answers[1]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    check(peak_mb < 200, f"46 MB line: goap's peak memory was {peak_mb:.0f} MB")

    # A request naming a FIFO (no writer: opening it would wait forever) is answered with an
    # error, and the requests after it are answered too.
    fifo = os.path.join(tmp, "world.fifo")
    os.mkfifo(fifo)
    data = (line({"id": "fifo-world", "world": fifo})
            + line({"id": "fifo-domain", "domain": fifo, "problem": blocks["problem"]})
            + line({"id": "fifo-problem", "domain": blocks["domain"], "problem": fifo})
            + line({"id": "dev", "world": "/dev/zero"})
            + line({"id": "ok", "world": soldier}))
    rc, answers, err = batch(data, "--threads", "2", timeout=60)
    check(rc == 0 and len(answers) == 5, f"FIFO requests: exit {rc}, {len(answers)} answers")
    if len(answers) == 5:
        for i, kind in [(0, "a FIFO"), (1, "a FIFO"), (2, "a FIFO"), (3, "a character device")]:
            error_answer(answers[i], i + 1, [kind, "goap reads only regular files"])
        check(answers[4]["status"] == "plan", f"after the FIFOs: {answers[4]}")
    check(stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO is still there")

    # Each request has its own limits, capped by the batch's.
    data = (line({"id": "own", "world": soldier, "max-expansions": 1})
            + line({"id": "free", "world": soldier})
            + line({"id": "pddl", **blocks, "max-expansions": 2})
            + line({"id": "bad", "world": soldier, "max-ms": -5})
            + line({"id": "named", "world": soldier, "goal": "enemy-down", "max-expansions": 1}))
    rc, answers, err = batch(data, "--threads", "2")
    check(rc == 0 and len(answers) == 5, f"limits: exit {rc}, {len(answers)} answers")
    if len(answers) == 5:
        check(answers[0]["status"] == "limit" and "expansions" in answers[0].get("reason", ""), f"own: {answers[0]}")
        check(answers[1]["status"] == "plan", f"a request without limits keeps the defaults: {answers[1]}")
        check(answers[2]["status"] == "limit", f"a PDDL request's own limit: {answers[2]}")
        error_answer(answers[3], 4, ["max-ms", "positive"])
        check(answers[4]["status"] == "limit" and answers[4]["goal"] == "enemy-down", f"named: {answers[4]}")
    rc, answers, err = batch(line({"world": soldier, "max-expansions": 1000000}) + line({**blocks}),
                             "--max-expansions", "1")
    check(rc == 0 and [a.get("status") for a in answers] == ["limit", "limit"],
          f"--max-expansions 1 caps what a request asks for: {answers}")

    # Streamed: the first answer arrives while goap still waits for the second line, and a world
    # edited between two requests is read again (the cache compares every file's identity).
    world = os.path.join(tmp, "stream")
    shutil.copytree(os.path.dirname(soldier), world)
    wpath = os.path.join(world, "world.yaml")
    for name in os.listdir(world) + [""]:
        os.utime(os.path.join(world, name), (1_600_000_000, 1_600_000_000))  # settled: cacheable
    p = subprocess.Popen([goap, "batch", "--threads", "2", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    try:
        def ask(req):
            p.stdin.write(line(req))
            p.stdin.flush()
            ready, _, _ = select.select([p.stdout], [], [], 30)
            if not ready:
                failures.append(f"streaming: no answer to {req.get('id')} while the batch is still open")
                return {}
            return json.loads(p.stdout.readline())

        first = ask({"id": 1, "world": wpath})
        check(first.get("id") == 1 and first.get("cost") == 4, f"streaming, first answer: {first}")
        second = ask({"id": 2, "world": wpath})
        check(second.get("cost") == 4, f"streaming, second answer: {second}")
        with open(os.path.join(world, "actions.yaml"), "a") as f:  # a shortcut: cost 1 instead of 4
            f.write("  snipe:         {pre: [armed_with_gun], eff: [not enemy_alive]}\n")
        third = ask({"id": 3, "world": wpath})
        check(third.get("cost") == 1 and third.get("plan") == ["snipe"], f"the edited world was not re-read: {third}")
        p.stdin.close()
        rest = p.stdout.read()
        check(p.wait(timeout=30) == 0 and rest == b"", f"streaming: exit {p.returncode}, left {rest[:200]!r}")
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        p.stdout.close()
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("batch hardening: bad lines, a 46 MB line, FIFOs, per-request limits and streaming all answered")
