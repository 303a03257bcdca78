"""Load benchmark: every page kind of the national dataset under gunicorn, measured with wrk.

Run with `make loadbench` (or `python -m bench.load [--quick]`). It uses the PostgreSQL database
DATABASE_URL names (default DEFAULT_DATABASE_URL; created if missing), migrates it, generates the
national dataset there unless the database already has promises, collects the static files and
starts gunicorn with production settings (DEBUG off) on a free loopback port, twice: once with
the page cache off (pages rendered fresh, from the fragments a publish precomputes; see PASSES)
and once with it on (as anonymous readers are served), both on a Redis database of their own.
For each case it runs wrk on `/robots.txt`, the minimal view, and then on the page, so that each
ratio compares two measurements taken side by side; the table shows the median of the runs. It
exits non-zero when a case misses its target in TARGETS. Not part of the test suite: timings are
never asserted there.
"""

import argparse
import contextlib
import dataclasses
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/loftesportalen_bench"
BASE_DIR = Path(__file__).resolve().parent.parent
WRK = "/usr/bin/wrk"
CONNECTIONS = 16
WORKERS = 2
MINIMAL = "/robots.txt"

# Production settings, except what plain HTTP on loopback needs: no redirect to HTTPS; and
# staff pages are measured after the password alone, without an authenticator app's code.
SERVER_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "insecure-throwaway-key-for-the-load-benchmark-only",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "MFA_REQUIRED": "false",
    # Persistent database connections, as a production deployment keeps them (README).
    "DJANGO_CONN_MAX_AGE": "60",
    # wrk is one client: the API's rate limit per client would answer 429 to nearly all of it.
    "API_RATE_LIMIT": "1000000/minute",
}


@dataclass(frozen=True)
class Target:
    """What a case must reach: a share of the minimal view's requests per second, or a median
    response time (for whole-country downloads, where a share says little)."""

    min_ratio: float | None = None
    max_p50_ms: float | None = None

    def __str__(self):
        if self.min_ratio is not None:
            return f"≥ {self.min_ratio}×"
        if self.max_p50_ms is not None:
            return f"p50 ≤ {self.max_p50_ms:.0f} ms"
        return "-"

    def missed(self, ratio, p50_ms):
        return (self.min_ratio is not None and ratio < self.min_ratio) or (
            self.max_p50_ms is not None and p50_ms > self.max_p50_ms
        )


# The targets of issue 9, in one place; admin pages have query-count targets (tests), not ratios.
TARGETS = {
    "fresh page": Target(min_ratio=0.3),
    "search": Target(min_ratio=0.2),
    "cached page": Target(min_ratio=0.85),
    "download": Target(max_p50_ms=1000),
    "admin": Target(),
    "minimal": Target(),
}

# Each pass runs the server afresh with these settings. "fresh": the page cache off, every page
# rendered as on the first request after a publish: what a publish precomputes, the fragments
# of the pages that show what changed (caching.fragments), is there, because the pass first
# renders them with `manage.py warm_fragments`, as a publish does after its commit; "cached": as
# anonymous readers are served. Both use a Redis database of their own, emptied before each
# pass, as in production (CACHE_URL).
BENCH_REDIS = "redis://127.0.0.1:6379/9"
PASSES = {
    "fresh": {"PAGE_CACHE_SECONDS": "0", "CACHE_URL": BENCH_REDIS},
    "cached": {"CACHE_URL": BENCH_REDIS},
}
# What a case is judged as in the cached pass; downloads and admin pages are measured once.
CACHED_KIND = {"fresh page": "cached page", "search": "cached page", "minimal": "minimal"}


@dataclass
class Case:
    name: str
    path: str
    kind: str
    admin: bool = False
    # The fragment scope (caching.fragments) of the object the page shows, if any.
    scope: str | None = None
    samples: list = field(default_factory=list)  # (page, minimal) wrk results per run


def find_cases():
    """The URLs of real objects: the biggest current promise, a timeline of eight rounds."""
    from django.db.models import Count, Q
    from django.urls import reverse

    from followup.models import FollowUpRound
    from promises.models import Promise

    current = Promise.objects.current().annotate(size=Count("commitments")).order_by("-size")
    promise = current.first() or Promise.objects.published().first()
    if promise is None:
        raise SystemExit("The database has no published promise to measure.")
    municipality = promise.municipalities()[0]
    published_rounds = Count(
        "followup_rounds", filter=Q(followup_rounds__state=FollowUpRound.State.PUBLISHED)
    )
    followed = (
        Promise.objects.published()
        .annotate(rounds=published_rounds, size=Count("commitments", distinct=True))
        .filter(rounds=8)
        .order_by("-size")
        .first()
    ) or promise
    round_ = (
        FollowUpRound.objects.published().filter(promise=followed).order_by("-year", "-quarter")
    )
    return [
        Case("/robots.txt (minimal view)", MINIMAL, "minimal"),
        Case("home", reverse("promises:home"), "fresh page"),
        Case(
            "municipality page",
            municipality.get_absolute_url(),
            "fresh page",
            scope=f"municipality:{municipality.pk}",
        ),
        Case(
            f"promise page ({promise.commitments.count()} commitments)",
            promise.get_absolute_url(),
            "fresh page",
            scope=f"promise:{promise.pk}",
        ),
        Case(
            "timeline (8 rounds)",
            reverse("followup:timeline", args=[followed.slug]),
            "fresh page",
            scope=f"promise:{followed.pk}",
        ),
        Case(
            "round page",
            round_.first().get_absolute_url(),
            "fresh page",
            scope=f"promise:{followed.pk}",
        ),
        Case(
            "survey page",
            reverse("situation:survey_detail", args=[municipality.slug]),
            "fresh page",
            scope=f"municipality:{municipality.pk}",
        ),
        Case(
            "situation page",
            reverse("situation:municipality_situation", args=[municipality.slug]),
            "fresh page",
            scope=f"municipality:{municipality.pk}",
        ),
        Case("archive", reverse("promises:archive"), "fresh page"),
        Case("search ?q=trafik", reverse("promises:search") + "?q=trafik", "search"),
        Case("Atom feed", reverse("followup:feed"), "fresh page"),
        Case("national overview", reverse("overview:index"), "fresh page"),
        Case("API promises, first page", "/api/v1/promises/", "fresh page"),
        Case(
            "whole-country commitments.json",
            reverse("opendata:download", kwargs={"dataset": "commitments", "fmt": "json"}),
            "download",
        ),
        Case("admin promise list", reverse("admin:promises_promise_changelist"), "admin", True),
        Case(
            "admin promise change page",
            reverse("admin:promises_promise_change", args=[promise.pk]),
            "admin",
            True,
        ),
    ]


def prepare_database(database_url, scale=1.0):
    """Create the database if missing, migrate it and generate the country (at `scale`) if it
    is empty."""
    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    import psycopg

    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not found:
            print(f"Creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')

    import django

    django.setup()
    from django.core.management import call_command

    from demo import national

    call_command("migrate", verbosity=0)
    if not national.exists():
        print(f"Generating the national dataset at scale {scale} (minutes at scale 1)")
        call_command("generate_national_dataset", scale=scale)
    call_command("collectstatic", verbosity=0, interactive=False)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(port, env):
    log = Path(tempfile.gettempdir()) / f"loadbench-gunicorn-{port}.log"
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        "--worker-class=sync",
        "--timeout=120",
        f"--error-logfile={log}",
    ]
    # A session of its own, so that stopping it stops its workers too.
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(port, MINIMAL)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start; see {log}")
            time.sleep(0.3)
        yield
    finally:
        stop(server)
        print(f"gunicorn stopped (its log: {log})")


def stop(server):
    """Stop a server started in a session of its own, with everything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def request(port, path, method="GET", body=None, headers=None, timeout=120):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie", ""), response.read()
    finally:
        connection.close()


def cookies(set_cookie):
    """name → value of the cookies in a Set-Cookie header (Secure or not: this is loopback)."""
    return dict(re.findall(r"(?:^|, )(\w+)=([^;,]*)", set_cookie))


def log_in(port, username, password):
    """A session cookie, by posting the admin's login form with its CSRF token."""
    status, set_cookie, page = request(port, "/admin/login/")
    csrf_cookie = cookies(set_cookie)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": "/admin/",
        }
    )
    status, set_cookie, _page = request(
        port,
        "/admin/login/",
        "POST",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
        },
    )
    session = cookies(set_cookie).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"Logging in as {username} failed ({status}).")
    return f"sessionid={session}; csrftoken={csrf_cookie}"


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def settle(port):
    """Wait until the requests wrk left queued are done: gunicorn still answers those of a slow
    page after wrk has hung up, which would slow down the next measurement."""
    for _worker in range(WORKERS):
        request(port, MINIMAL, timeout=600)


def wrk(port, path, seconds, cookie=None):
    command = [
        WRK,
        f"--connections={CONNECTIONS}",
        "--threads=2",
        f"--duration={seconds}s",
        "--timeout=30s",
        "--latency",
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    settle(port)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    if rps == 0 or len(percentiles) < 2:  # too few requests completed in time
        return WrkResult(rps, float("inf"), float("inf"), errors)
    return WrkResult(rps, to_ms(percentiles["50"]), to_ms(percentiles["99"]), errors)


def report(cases):
    """Print the table; return the number of missed targets."""
    missed = 0
    print(
        f"\n{'page':42} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} "
        f"{'target':>13}  verdict"
    )
    for case in cases:
        rps = statistics.median(page.rps for page, _minimal in case.samples)
        p50 = statistics.median(page.p50_ms for page, _minimal in case.samples)
        p99 = statistics.median(page.p99_ms for page, _minimal in case.samples)
        ratio = statistics.median(
            page.rps / minimal.rps if minimal.rps else 0.0 for page, minimal in case.samples
        )
        errors = sum(page.errors for page, _minimal in case.samples)
        target = TARGETS[case.kind]
        verdict = "MISSED" if target.missed(ratio, p50) else "ok"
        missed += verdict == "MISSED"
        if errors:
            verdict += f" ({errors} errors or time-outs)"
        print(
            f"{case.name[:42]:42} {rps:8.1f} {p50:8.1f} {p99:8.1f} {ratio:7.3f} "
            f"{target!s:>13}  {verdict}"
        )
    return missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the median counts")
    parser.add_argument("--quick", action="store_true", help="one run per case")
    parser.add_argument("--seconds", type=int, default=5, help="duration of each wrk run")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="measure only the cases whose name holds TEXT (repeatable; the minimal view stays)",
    )
    parser.add_argument("--pass", dest="passes", choices=PASSES, action="append", default=[])
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    if not Path(WRK).exists():
        raise SystemExit(f"{WRK} is missing: apt-get install wrk")

    env = {**os.environ, **SERVER_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not env["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        raise SystemExit("The load benchmark runs on PostgreSQL: set DATABASE_URL to one.")
    os.environ.update(env)
    # SIGTERM unwinds like ctrl-C, so that gunicorn is stopped either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    prepare_database(env["DATABASE_URL"])

    missed = 0
    for name, settings in PASSES.items():
        if args.passes and name not in args.passes:
            continue
        cases = [
            case
            for case in find_cases()
            if not args.only or case.kind == "minimal" or any(t in case.name for t in args.only)
        ]
        if name != "fresh":
            cases = [
                dataclasses.replace(case, kind=CACHED_KIND[case.kind], samples=[])
                for case in cases
                if case.kind in CACHED_KIND
            ]
        print(f"\n== {name} pass")
        measure(cases, {**env, **settings}, runs, args.seconds, warm=name == "fresh")
        missed += report(cases)
    if missed:
        print(f"\n{missed} target(s) missed.")
    return 1 if missed else 0


def measure(cases, env, runs, seconds, warm=False):
    """Run every case beside the minimal view, `runs` times, on a server started afresh; with
    `warm`, the fragments of the cases' pages are precomputed first, as after a publish."""
    import redis

    from demo import national

    redis.Redis.from_url(BENCH_REDIS).flushdb()
    port = free_port()
    if warm:
        scopes = sorted({case.scope for case in cases if case.scope})
        command = [sys.executable, "manage.py", "warm_fragments", *scopes]
        print(f"Precomputing the fragments of {', '.join(scopes)} and the lists")
        subprocess.run(
            [*command, f"--base-url=http://127.0.0.1:{port}"], cwd=BASE_DIR, env=env, check=True
        )
    with gunicorn(port, env):
        cookie = log_in(port, national.SUPERUSER, national.PASSWORD)
        for case in cases:
            # As an editor (signed in or not: any session cookie), so that checking the page
            # stores neither the page nor its fragments: the measurement finds only what the
            # warm-up stored.
            headers = {"Cookie": cookie if case.admin else "sessionid=loadbench-check"}
            status = request(port, case.path, headers=headers)[0]
            if status != 200:
                raise SystemExit(f"{case.path} answers {status}, not 200.")
        print(f"{len(cases)} cases, {runs} run(s) of {seconds} s each, {CONNECTIONS} connections")
        for run in range(runs):
            for case in cases:
                minimal = wrk(port, MINIMAL, seconds)
                page = wrk(port, case.path, seconds, cookie if case.admin else None)
                case.samples.append((page, minimal))
                print(f"  run {run + 1}: {case.name}: {page.rps:.1f} req/s", flush=True)
    redis.Redis.from_url(BENCH_REDIS).flushdb()


if __name__ == "__main__":
    sys.exit(main())
