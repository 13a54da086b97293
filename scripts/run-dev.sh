#!/usr/bin/env bash
# The embedded demo: Django's development server, a Celery worker and Celery beat, each in its
# own process group, their output prefixed with their name. Ctrl-C (or SIGTERM, or any one of
# them dying) stops all three and waits for them: nothing is left running.
# Settings come from the environment; with nothing set: SQLite and the filesystem broker in var/.
set -uo pipefail
cd "$(dirname "$0")/.."

BIN=${VENV:-.venv}/bin
ADDR=${RUN_ADDR:-127.0.0.1:8000}
WORKER_POOL=${WORKER_POOL:-solo}
export PYTHONUNBUFFERED=1

names=()
pids=()

start() {
    local name=$1
    shift
    # setsid: a group of its own, so runserver's reloader child or a prefork pool goes with it.
    # The prefixing sed ignores Ctrl-C, so it still relays the shutdown messages.
    setsid "$@" > >(trap '' INT TERM && exec sed -u "s/^/[$name] /") 2>&1 &
    names+=("$name")
    pids+=($!)
}

alive() {
    local pid
    for pid in "${pids[@]}"; do
        if kill -0 -- "-$pid" 2>/dev/null; then
            return 0
        fi
    done
    return 1
}

stop() {
    trap '' INT TERM HUP
    echo "run: stopping ${names[*]}"
    local pid
    for pid in "${pids[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null
    done
    # The worker finishes the task it is running (warm shutdown); give it time, then insist.
    for _ in $(seq 150); do
        alive || break
        sleep 0.1
    done
    for pid in "${pids[@]}"; do
        kill -KILL -- "-$pid" 2>/dev/null && echo "run: process group $pid killed"
    done
    wait 2>/dev/null
    echo "run: stopped"
}

trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM HUP

start web "$BIN/python" manage.py runserver "$ADDR"
start worker "$BIN/celery" -A portal worker --pool="$WORKER_POOL" --loglevel=INFO \
    --hostname="demo@%h" --without-gossip --without-mingle --without-heartbeat
start beat "$BIN/celery" -A portal beat --loglevel=INFO

echo "run: portal on http://$ADDR/ with a Celery worker and beat; Ctrl-C stops all three"

wait -n "${pids[@]}"
status=$?
for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
        echo "run: ${names[$i]} exited (status $status); stopping the others" >&2
        break
    fi
done
stop
exit $((status == 0 ? 1 : status))
