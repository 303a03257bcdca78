"""Scale-out, shown: two gunicorn instances behind nginx on one PostgreSQL and one Redis.

Run with `make scaleout-check` (or `python -m deploy.scaleout_check`). On this machine, on
loopback only, it creates the database DATABASE (dropped at the end), migrates it and loads the
demo with its accounts, uses Redis database REDIS_URL names (flushed before and after), starts
two gunicorn instances with config/gunicorn.conf.py and nginx with deploy/nginx/scaleout.conf in
a temporary directory, and shows that

1. nginx shares requests out over both instances;
2. a session started by logging in on instance A continues on instance B;
3. a page instance B stores in the shared cache is served from it (a change written behind the
   portal's back does not show), until a promise published through instance A moves the cache
   on: B then serves the new page, with a new ETag and Last-Modified.

It prints what it saw, stops everything it started whatever happens, and exits non-zero when
something is not as it should be.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.load import free_port, log_in, request, stop

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY_DIR = BASE_DIR / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
DATABASE = "loftesportalen_scaleout"
REDIS_URL = "redis://127.0.0.1:6379/3"

# Production settings, except what plain HTTP on loopback needs: in production TLS ends at
# nginx, which tells the portal so (X-Forwarded-Proto), and the HTTPS redirect stays on. The
# demo's staff have no authenticator app: they sign in with the password alone, as what is
# checked here is that a session and the page cache are shared, not the second factor.
SERVER_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "insecure-throwaway-key-for-the-scale-out-check-only",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
    "CACHE_URL": REDIS_URL,
    "TRUSTED_PROXY_COUNT": "1",
    "MFA_REQUIRED": "false",
    "GUNICORN_WORKERS": "2",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}

# The demo's joint sign-off, half done: the police of Karlshamn approve and publish it.
DRAFT_SLUG = "solvesborg-2026-2027"
POLICE = "polis-karlshamn"
SUPERUSER = "admin"
PASSWORD = "demo"
MUNICIPALITY_PAGE = "/kommun/solvesborg/"
# An earlier promise on that page, renamed behind the portal's back (no signal, no new generation).
EARLIER_SLUG = "solvesborg-2022-2023"
BEHIND_THE_BACK = " [changed in the database only]"


class CheckFailed(Exception):
    pass


def check(condition, saw):
    print(f"  {'ok  ' if condition else 'FAIL'} {saw}")
    if not condition:
        raise CheckFailed(saw)


def database(action):
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        if action == "drop":
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        else:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def prepare():
    """A database of our own with the demo and its accounts, and the static files."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    # Before the demo: each write renders its pages again (caching.fragments), which needs them.
    call_command("collectstatic", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", with_users=True, stdout=quiet)
    connections.close_all()


@contextlib.contextmanager
def process(name, command, log, env=None):
    """Start a server in a session of its own (so that stopping it stops its workers) and stop
    it on the way out, however that comes."""
    with open(log, "w") as output:
        server = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield server
    finally:
        stop(server)
        print(f"{name} stopped")


def wait_for(name, server, port, log):
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(OSError):
            if request(port, "/robots.txt", timeout=5)[0] == 200:
                print(f"{name} answers on 127.0.0.1:{port}")
                return
        if server.poll() is not None or time.monotonic() > deadline:
            raise CheckFailed(f"{name} did not start; see {log}")
        time.sleep(0.2)


def write_nginx_config(workdir, port, port_a, port_b):
    """deploy/nginx/scaleout.conf for nginx on `port` in front of the instances on the others."""
    config = (DEPLOY_DIR / "nginx" / "scaleout.conf").read_text()
    for placeholder, value in {
        "@PREFIX@": workdir,
        "@DEPLOY@": DEPLOY_DIR,
        "@PORT@": port,
        "@PORT_A@": port_a,
        "@PORT_B@": port_b,
    }.items():
        config = config.replace(placeholder, str(value))
    path = workdir / "nginx.conf"
    path.write_text(config)
    return path


def get(port, path, headers=None):
    """(status, headers, body) of a GET straight to one server."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def post(port, path, cookie, fields):
    """A form posted with the session, its CSRF token taken from the csrftoken cookie."""
    token = dict(pair.split("=", 1) for pair in cookie.split("; "))["csrftoken"]
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    return request(port, path, "POST", body, headers)[0]


def show_balancing(nginx_port, ports):
    print("\nnginx shares requests out over the instances:")
    seen = []
    for _request in range(6):
        status, headers, _body = get(nginx_port, "/robots.txt")
        seen.append(headers["X-Upstream"])
        check(status == 200, f"GET /robots.txt through nginx: {status} from {seen[-1]}")
    check(
        {f"127.0.0.1:{port}" for port in ports} <= set(seen),
        f"both instances answered: {sorted(set(seen))}",
    )
    status, headers, _body = get(nginx_port, "/", {"Accept-Encoding": "gzip"})
    check(
        status == 200 and headers["Content-Encoding"] == "gzip",
        f"GET / through nginx: {status}, Content-Encoding {headers['Content-Encoding']}",
    )
    cookie = log_in(nginx_port, SUPERUSER, PASSWORD)
    print(f"  logged in as {SUPERUSER} through nginx (the form and its post may meet either)")
    seen = []
    for _request in range(4):
        status, headers, _body = get(nginx_port, "/admin/", {"Cookie": cookie})
        seen.append(headers["X-Upstream"])
        check(status == 200, f"GET /admin/ through nginx, signed in: {status} from {seen[-1]}")
    check(len(set(seen)) == 2, "both instances know the session")


def show_shared_session(port_a, port_b):
    print("\nA session started on instance A continues on instance B:")
    status, headers, _body = get(port_b, "/admin/")
    check(status == 302, f"GET /admin/ on B without a session: {status} to {headers['Location']}")
    cookie = log_in(port_a, SUPERUSER, PASSWORD)
    print(f"  logged in as {SUPERUSER} on A")
    status, _headers, body = get(port_b, "/admin/", {"Cookie": cookie})
    check(
        status == 200 and b'id="logout-form"' in body,
        f"GET /admin/ on B with A's session cookie: {status}, signed in",
    )


def show_shared_page_cache(port_a, port_b):
    from django.core.cache import cache

    from promises.models import Promise

    draft = Promise.objects.get(slug=DRAFT_SLUG)
    earlier = Promise.objects.get(slug=EARLIER_SLUG)
    print(f"\nThe page cache is shared: {MUNICIPALITY_PAGE} on instance B, anonymously:")
    status, first, body = get(port_b, MUNICIPALITY_PAGE)
    check(
        status == 200 and earlier.title.encode() in body and draft.title.encode() not in body,
        f"first GET: {status}, ETag {first['ETag']}, Last-Modified {first['Last-Modified']}, "
        f"without the draft {draft.title!r}",
    )
    generation = cache.get("pages:generation")
    check(generation is not None, f"the shared cache's generation: {generation}")

    Promise.objects.filter(pk=earlier.pk).update(title=earlier.title + BEHIND_THE_BACK)
    print(f"  renamed {earlier.title!r} in the database only (no signal, the cache is not told)")
    status, second, body = get(port_b, MUNICIPALITY_PAGE)
    check(
        status == 200
        and (second["ETag"], second["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
        and BEHIND_THE_BACK.encode() not in body,
        f"second GET: {status}, the same ETag and Last-Modified, without the rename: "
        "served from the shared cache",
    )
    status, _headers, _body = get(port_b, MUNICIPALITY_PAGE, {"If-None-Match": first["ETag"]})
    check(status == 304, f"GET with If-None-Match {first['ETag']}: {status}")

    cookie = log_in(port_a, POLICE, PASSWORD)
    for step in ("approve", "publish"):
        status = post(port_a, f"/admin/promises/promise/{draft.pk}/workflow/{step}/", cookie, {})
        check(status == 302, f"{POLICE} on A: {step} {draft.title!r}: {status}")
    draft.refresh_from_db()
    check(draft.status == Promise.Status.PUBLISHED, f"the promise is {draft.status}")
    check(
        cache.get("pages:generation") != generation,
        f"the shared cache's generation moved on: {cache.get('pages:generation')}",
    )

    status, third, body = get(port_b, MUNICIPALITY_PAGE)
    check(
        status == 200 and draft.title.encode() in body and BEHIND_THE_BACK.encode() in body,
        f"GET on B after the publish on A: {status}, with {draft.title!r}, rendered afresh",
    )
    check(
        third["ETag"] != first["ETag"] and third["Last-Modified"] != first["Last-Modified"],
        f"new ETag {third['ETag']}, new Last-Modified {third['Last-Modified']}",
    )
    status, _headers, _body = get(port_b, MUNICIPALITY_PAGE, {"If-None-Match": first["ETag"]})
    check(status == 200, f"GET with the old If-None-Match: {status}")


def run(workdir):
    ports = {"A": free_port(), "B": free_port()}
    nginx_port = free_port()
    env = {**os.environ, **SERVER_ENV}
    os.environ.update(SERVER_ENV)
    with contextlib.ExitStack() as stack:
        database("drop")
        stack.callback(database, "drop")
        database("create")
        stack.callback(flush_redis)
        flush_redis()
        prepared = time.monotonic()
        prepare()
        print(
            f"Database {DATABASE} migrated, the demo loaded and the static files collected in "
            f"{time.monotonic() - prepared:.0f} s; Redis {REDIS_URL}"
        )

        for name, port in ports.items():
            log = workdir / f"gunicorn-{name}.log"
            command = [str(Path(sys.executable).parent / "gunicorn")]
            command += ["--config", "config/gunicorn.conf.py"]
            instance_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
            server = stack.enter_context(process(f"gunicorn {name}", command, log, instance_env))
            wait_for(f"gunicorn {name}", server, port, log)

        config = write_nginx_config(workdir, nginx_port, ports["A"], ports["B"])
        log = workdir / "nginx.log"
        command = [NGINX, "-p", str(workdir), "-c", str(config)]
        server = stack.enter_context(process("nginx", command, log))
        wait_for("nginx", server, nginx_port, log)

        show_balancing(nginx_port, ports.values())
        show_shared_session(ports["A"], ports["B"])
        show_shared_page_cache(ports["A"], ports["B"])


def main():
    if not Path(NGINX).exists():
        raise SystemExit(f"{NGINX} is missing: apt-get install nginx-light")
    # SIGTERM unwinds like ctrl-C, so that everything started is stopped either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="loftesportalen-scaleout-"))
    # nginx's workers run as another user when it is started as root; they write its temp files.
    workdir.chmod(0o755)
    passed = False
    try:
        run(workdir)
        passed = True
    except CheckFailed as failure:
        print(f"\nScale-out check FAILED: {failure}")
    finally:
        if passed:
            shutil.rmtree(workdir)
        else:
            print(f"The servers' logs: {workdir}")
    if not passed:
        return 1
    print(f"\nScale-out check passed in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
