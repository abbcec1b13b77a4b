#!/bin/sh
# tools/lab.sh up|break SCENARIO|status|down|world [--out FILE]|env: the timmy-ops lab on this
# machine (127.0.0.1 only). `tools/lab.sh --help` and README "The lab" say more; the lab's
# programs are all in tools/lab/lab.py.
exec python3 "$(dirname "$0")/lab/lab.py" "$@"
