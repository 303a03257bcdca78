"""Fault drill: what residents see while Redis or PostgreSQL is down, and how soon it recovers.

Run with `make faultdrill` (or `python -m bench.faults`). It starts a Redis of its own on a free
port, gunicorn with production settings (DEBUG off) on another, against the PostgreSQL database
DATABASE_URL names (default DEFAULT_DATABASE_URL, created and filled with a small national
dataset if missing), and polls a page ten times a second, each request with an address of its
own so that no cached page hides the database. Phases:

- baseline: everything up;
- redis down: the drill's Redis is killed for OUTAGE_SECONDS and started again; pages must
  still be 200, and a report sent meanwhile a 503 asking to try again later;
- postgres down, only with --stop-postgres: the local cluster is stopped for OUTAGE_SECONDS
  (pg_ctlcluster) and started again; pages must be 503 with Retry-After, never 500. It stops
  PostgreSQL for every database on it, so it runs only from a terminal, after a confirmation:
  never in CI, nor while anyone else uses the cluster.

It prints the status counts per phase, whether Retry-After was sent, /healthz, and the recovery
time, and exits non-zero on a 500 or a missing recovery. `--load` then runs wrk with 64
connections for 60 s on each public page kind and prints errors and timeouts.
"""

import argparse
import collections
import contextlib
import glob
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

from django.db import connections

from bench import load

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/loftesportalen_faults"
OUTAGE_SECONDS = 6
POLL_INTERVAL = 0.1
RECOVERY_LIMIT = 30
LOAD_CONNECTIONS = 64
LOAD_SECONDS = 60


@contextlib.contextmanager
def redis_server(port):
    """A Redis of the drill's own, kept in memory only; started again by calling restart()."""
    command = ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"]

    def start():
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            if time.monotonic() > deadline:
                raise SystemExit("The drill's redis-server did not start.")
            time.sleep(0.1)
        return server

    state = {"server": start()}

    def stop():
        state["server"].kill()
        state["server"].wait()

    def restart():
        state["server"] = start()

    try:
        yield stop, restart
    finally:
        stop()


class Poller(threading.Thread):
    """GETs the page ten times a second and notes each answer under the current phase."""

    def __init__(self, port, path):
        super().__init__(daemon=True)
        self.port, self.path = port, path
        self.phase = "baseline"
        self.seen = collections.defaultdict(collections.Counter)
        self.retry_after = collections.defaultdict(int)
        self.answers = []  # (time, status)
        self.running = True

    def run(self):
        n = 0
        while self.running:
            n += 1
            started = time.monotonic()
            try:
                status, headers = self.get(f"{self.path}?drill={n}")
            except OSError:
                status, headers = "no answer", {}
            self.seen[self.phase][status] += 1
            if headers.get("retry-after"):
                self.retry_after[self.phase] += 1
            self.answers.append((time.monotonic(), status))
            time.sleep(max(0.0, POLL_INTERVAL - (time.monotonic() - started)))

    def get(self, path):
        import http.client

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status, {name.lower(): value for name, value in response.getheaders()}
        finally:
            connection.close()

    def recovered_after(self, since):
        """Seconds from `since` to the first 200 after it, or None."""
        for moment, status in self.answers:
            if moment >= since and status == 200:
                return moment - since
        return None


def wait_for_recovery(poller, since):
    """Seconds from `since` to the first 200, waiting up to RECOVERY_LIMIT; None without one."""
    deadline = since + RECOVERY_LIMIT
    while poller.recovered_after(since) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    return poller.recovered_after(since)


def healthz(port):
    try:
        status, _cookie, body = load.request(port, "/healthz", timeout=5)
    except OSError as error:
        return f"no answer ({error})"
    return f"{status} {body.decode()}"


def send_report(port):
    """The error-report form as a resident sends it: with its CSRF cookie and token."""
    status, set_cookie, page = load.request(port, "/rapportera/fel-pa-sidan/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "page_url": "/", "message": "Fault drill."}
    )
    status, _cookie, body = load.request(
        port,
        "/rapportera/fel-pa-sidan/",
        "POST",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={load.cookies(set_cookie)['csrftoken']}",
            "Referer": f"http://127.0.0.1:{port}/rapportera/fel-pa-sidan/",
        },
    )
    return status


def pg_cluster(action):
    (version,) = [Path(path).name for path in glob.glob("/etc/postgresql/*")]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True
    )


def confirm_postgres_stop():
    if not sys.stdin.isatty():
        raise SystemExit("--stop-postgres asks for a confirmation at a terminal.")
    answer = input(
        "This stops the local PostgreSQL cluster, for every database on it, for "
        f"{OUTAGE_SECONDS} s. Nobody else is using it? Type yes: "
    )
    if answer.strip() != "yes":
        raise SystemExit("Not confirmed; nothing was stopped.")


def drill(port, stop_redis, restart_redis, stop_postgres):
    # A cheap page: every view opens a transaction (ATOMIC_REQUESTS), so it needs the database.
    poller = Poller(port, "/tillganglighet/")
    poller.start()
    recoveries = {}
    time.sleep(3)
    print(f"baseline: healthz {healthz(port)}")

    poller.phase = "redis down"
    stop_redis()
    time.sleep(1)
    report_status = send_report(port)
    print(f"redis down: healthz {healthz(port)}; a report is answered {report_status}")
    time.sleep(OUTAGE_SECONDS - 1)
    restart_redis()
    poller.phase = "after redis"
    recoveries["redis"] = wait_for_recovery(poller, time.monotonic())
    time.sleep(2)
    print(f"after redis: healthz {healthz(port)}")

    if stop_postgres:
        poller.phase = "postgres down"
        pg_cluster("stop")
        try:
            time.sleep(1)
            print(f"postgres down: healthz {healthz(port)}")
            time.sleep(OUTAGE_SECONDS - 1)
        finally:
            pg_cluster("start")
        poller.phase = "after postgres"
        recoveries["postgres"] = wait_for_recovery(poller, time.monotonic())
        time.sleep(2)
        print(f"after postgres: healthz {healthz(port)}")

    poller.running = False
    poller.join()
    print("\nphase            answers")
    for phase, counter in poller.seen.items():
        answers = ", ".join(
            f"{status}: {count}" for status, count in sorted(counter.items(), key=str)
        )
        print(f"{phase:<16} {answers}; Retry-After on {poller.retry_after[phase]}")
    for fault, seconds in recoveries.items():
        print(f"recovery after {fault}: " + ("none" if seconds is None else f"{seconds:.1f} s"))
    failures = sum(counter[500] for counter in poller.seen.values()) + (report_status != 503)
    failures += sum(seconds is None for seconds in recoveries.values())
    failures += sum(
        poller.seen["redis down"][status] for status in poller.seen["redis down"] if status != 200
    )
    return failures


def load_run(port):
    """wrk with 64 connections on each public page kind; errors and timeouts per page."""
    failures = 0
    print(f"\nLoad: {LOAD_CONNECTIONS} connections, {LOAD_SECONDS} s per page")
    # This process's own connection did not survive a stopped PostgreSQL: open a new one.
    connections.close_all()
    for case in load.find_cases():
        if case.admin:
            continue
        output = subprocess.run(
            [
                load.WRK,
                f"--connections={LOAD_CONNECTIONS}",
                "--threads=2",
                f"--duration={LOAD_SECONDS}s",
                "--timeout=10s",
                f"http://127.0.0.1:{port}{case.path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
        non_2xx = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
        socket_errors = dict(re.findall(r"(connect|read|write|timeout) (\d+)", output))
        timeouts = int(socket_errors.pop("timeout", 0))
        errors = non_2xx + sum(int(n) for n in socket_errors.values())
        failures += errors + timeouts
        print(f"  {case.name}: {rps} req/s, {errors} errors, {timeouts} timeouts", flush=True)
        load.settle(port)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--stop-postgres",
        action="store_true",
        help="also stop the local PostgreSQL cluster for a few seconds (asks first)",
    )
    parser.add_argument("--load", action="store_true", help="then 64 connections on each page")
    args = parser.parse_args()
    if args.stop_postgres:
        confirm_postgres_stop()

    redis_port, port = load.free_port(), load.free_port()
    env = {
        **os.environ,
        **load.SERVER_ENV,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
    }
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        raise SystemExit("The fault drill runs on PostgreSQL: set DATABASE_URL to one.")
    os.environ.update(env)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load.prepare_database(env["DATABASE_URL"], scale=0.05)

    with redis_server(redis_port) as (stop_redis, restart_redis), load.gunicorn(port, env):
        failures = drill(port, stop_redis, restart_redis, args.stop_postgres)
        if args.load:
            failures += load_run(port)
    if failures:
        raise SystemExit(f"\n{failures} failure(s): a 500, an error, a timeout or no recovery.")
    print("\nThe drill passed.")


if __name__ == "__main__":
    main()
