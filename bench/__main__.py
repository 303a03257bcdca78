"""Benchmarks: how page cost grows with the amount of data, measured as ratios in one run.

Run with `make bench`. Each case renders a page against a small and a large data set in a
throwaway test database and reports the ratio of median times (and of peak memory). A ratio far
above 1 means the page's cost grows with the data; the targets below say how much growth we accept
for a data set `SCALE` times larger.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-benchmarks-only")
# WhiteNoise looks for collected static files, which benchmarks do not build.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench import notify  # noqa: E402
from bench.cases import CASES  # noqa: E402

ROUNDS = 15


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass


def measure(client, url):
    fetch(client, url)  # warm caches and templates
    timings = []
    tracemalloc.start()
    for _ in range(ROUNDS):
        start = time.perf_counter()
        fetch(client, url)
        timings.append(time.perf_counter() - start)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(timings), peak


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    # What is measured is the cost of rendering and of building a download, not of serving a
    # page, a precomputed fragment or a file stored by an earlier round.
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    settings.OPENDATA_ROOT = Path(tempfile.mkdtemp(prefix="bench-opendata-"))
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    old_name = connection.creation.create_test_db(verbosity=0)
    client = Client()
    failures = 0
    try:
        print(f"{'case':40} {'time ratio':>10} {'target':>7} {'memory ratio':>12} {'target':>7}")
        for case in CASES:
            small_url, large_url = case.build()
            small_time, small_peak = measure(client, small_url)
            large_time, large_peak = measure(client, large_url)
            time_ratio = large_time / small_time
            memory_ratio = large_peak / max(small_peak, 1)
            too_slow = time_ratio > case.time_target
            too_big = case.memory_target is not None and memory_ratio > case.memory_target
            failures += too_slow or too_big
            memory_target = f"{case.memory_target:7.1f}" if case.memory_target else f"{'-':>7}"
            verdict = "TOO SLOW" if too_slow else "TOO MUCH MEMORY" if too_big else "ok"
            print(
                f"{case.name:40} {time_ratio:10.2f} {case.time_target:7.1f} "
                f"{memory_ratio:12.2f} {memory_target} {verdict}"
            )
        failures += notify.run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(settings.OPENDATA_ROOT, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
