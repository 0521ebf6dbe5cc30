"""A new user's path: install the app into a fresh virtual environment and run ``tracker serve``."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _files(folder: Path, prefix: str = "") -> set[str]:
    return {
        prefix + path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def source_files() -> set[str]:
    """What an install must hold, from the tree: every file of tracker/, and templates/ as tracker/templates/."""
    return _files(PROJECT_ROOT / "tracker") | _files(PROJECT_ROOT / "templates", "templates/")


def installed_files(venv: Path, env: dict[str, str]) -> set[str]:
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import tracker, os; print(os.path.dirname(tracker.__file__))"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=venv,
        env=env,
    )
    return _files(Path(where.stdout.strip()))


def translation(language: str, msgid: str) -> str:
    """``msgid`` in the checkout's own catalogue of ``language``, read with Babel (not through the app)."""
    from babel.messages.pofile import read_po

    with (PROJECT_ROOT / "tracker" / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        message = read_po(handle, locale=language).get(msgid)
    assert message is not None and message.string, msgid
    return str(message.string)


def copy_of_the_project(target: Path) -> Path:
    """The project without build leftovers: setuptools builds in the source folder and would ship a stale
    ``build/lib`` (a module deleted since the last build) into the install."""
    skip = shutil.ignore_patterns(
        ".git", ".venv", "node_modules", "build", "*.egg-info", "__pycache__", "instance", "tests", "test-artifacts"
    )
    shutil.copytree(PROJECT_ROOT, target, ignore=skip)
    return target


@pytest.mark.slow
def test_fresh_venv_install_serves_pages(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    # PYTHONPATH would put the checkout's tracker/ before the installed one
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRACKER_") and key != "PYTHONPATH"}
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(copy_of_the_project(tmp_path / "source"))],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    assert "would be ignored" not in install.stderr, install.stderr[-2000:]
    assert installed_files(venv, env) == source_files(), "the install holds exactly tracker/ and templates/"
    port = free_port()
    env["TRACKER_INSTANCE_PATH"] = str(tmp_path / "instance")
    server = subprocess.Popen(
        [str(venv / "bin" / "tracker"), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = server.stdout.readline()  # printed after the socket is bound
        assert f"http://127.0.0.1:{port}/" in banner, banner
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            body = response.read().decode()
        assert response.status == 200 and "Upcoming events" in body
        macedonian = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Accept-Language": "mk"})
        with urllib.request.urlopen(macedonian, timeout=10) as response:
            body = response.read().decode()
        assert '<html lang="mk">' in body and f">{translation('mk', 'Upcoming')}</a>" in body, "catalogues installed"
        assert (tmp_path / "instance" / "tracker.sqlite3").exists(), "database created in the instance folder"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/style.css", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
