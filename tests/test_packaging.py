"""StoryBot installed as a user installs it: a wheel built from the source (pip's own build, as `pip install .`
does) in a fresh virtual environment, run as `storybot` from another directory.

The fresh environment has no pip and no dependencies of its own: a .pth line lends it this environment's
site-packages for discord.py, aiosqlite and the rest, and pip installs only the wheel into it, so the test
needs no network and takes a few seconds.  A plain path in a .pth file does not run the .pth files in that
folder, so this environment's editable install of StoryBot stays out of it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import bot
from bot.config import default_database
from tests.conftest import REPO

SOURCE_FILES = ("pyproject.toml", "README.md", "bot", "data")


def _run(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with StoryBot installed from a wheel; its bin folder."""
    root = tmp_path_factory.mktemp("packaging")
    source = root / "source"
    source.mkdir()
    for name in SOURCE_FILES:  # a copy, so the build leaves nothing in the repo; symlinks stay symlinks
        item = REPO / name
        ignore = shutil.ignore_patterns("__pycache__", "*.db", "*.db-*")
        if item.is_dir():
            shutil.copytree(item, source / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(item, source / name)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", root / "wheels", source)
    assert built.returncode == 0, built.stderr
    wheel = next((root / "wheels").glob("storybot-*.whl"))
    venv = root / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel)
    assert done.returncode == 0, done.stderr
    return venv / "bin"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """No StoryBot setting at all: the installed copy must find its data and pick its database itself."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1", **extra}


def test_the_wheel_carries_the_seed_data(installed, tmp_path):
    code = "import bot, pathlib; print(pathlib.Path(bot.__file__).parent)"
    found = _run(installed / "python", "-c", code, cwd=tmp_path, env=clean_env(tmp_path))
    package = Path(found.stdout.strip())
    assert package.parent.name == "site-packages" and REPO not in package.parents
    assert (package / "seed" / "article.txt").read_bytes() == (REPO / "data" / "article.txt").read_bytes()
    for name in ("story.json", "lexicon.json", "about.json"):
        assert (package / "seed" / name).read_bytes() == (REPO / "data" / name).read_bytes()
    assert not (package / "seed").is_symlink()


def test_installed_storybot_answers_from_any_directory(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    home = tmp_path / "home"
    result = _run(
        installed / "storybot", "ask", "--json", "how many times was he shot", cwd=elsewhere, env=clean_env(home)
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["found"] is True and "five" in answer["answer"]
    # The database goes to the user's data folder, never into site-packages or the current directory.
    assert (home / ".local" / "share" / "storybot" / "storybot.db").is_file()
    assert list(elsewhere.iterdir()) == []
    site = installed.parent / "lib"
    assert not [p for p in site.rglob("*.db")]


def test_installed_storybot_uses_xdg_data_home(installed, tmp_path):
    data_home = tmp_path / "xdg"
    result = _run(
        installed / "storybot",
        "ask",
        "what is the DMZ",
        cwd=tmp_path,
        env=clean_env(tmp_path / "home", XDG_DATA_HOME=str(data_home)),
    )
    assert result.returncode == 0, result.stderr
    assert (data_home / "storybot" / "storybot.db").is_file()
    assert not (tmp_path / "home").exists()


def test_installed_storybot_names_itself_and_its_version(installed, tmp_path):
    helped = _run(installed / "storybot", "--help", cwd=tmp_path, env=clean_env(tmp_path))
    assert helped.returncode == 0
    assert helped.stdout.startswith("usage: storybot ")
    version = _run(installed / "storybot", "--version", cwd=tmp_path, env=clean_env(tmp_path))
    assert version.stdout.strip() == f"storybot {bot.__version__}"
    code = "import importlib.metadata as m; print(m.version('storybot'))"
    metadata = _run(installed / "python", "-c", code, cwd=tmp_path, env=clean_env(tmp_path))
    assert metadata.stdout.strip() == bot.__version__


def test_the_development_install_runs_from_any_directory(tmp_path):
    """This environment's editable install: `storybot` works outside the repo and reads data/ in the repo."""
    script = Path(sys.executable).parent / "storybot"
    assert script.is_file(), "pip install -e . puts the storybot script beside python"
    env = clean_env(tmp_path, DATABASE_PATH=str(tmp_path / "dev.db"), PYTHON_DOTENV_DISABLED="1")
    result = _run(script, "ask", "--json", "how many times was he shot", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["found"] is True


def test_default_database_in_a_checkout_and_when_installed(monkeypatch):
    assert default_database({}) == REPO / "data" / "storybot.db"
    monkeypatch.setattr("bot.config.PROJECT_DIR", None)
    assert default_database({"HOME": "/home/ann"}) == Path("/home/ann/.local/share/storybot/storybot.db")
    assert default_database({"HOME": "/home/ann", "XDG_DATA_HOME": "/data"}) == Path("/data/storybot/storybot.db")
    # The XDG spec ignores a relative path.
    relative = {"HOME": "/home/ann", "XDG_DATA_HOME": "rel"}
    assert default_database(relative) == Path("/home/ann/.local/share/storybot/storybot.db")


def test_the_seed_folder_in_the_repo_is_a_link_to_data():
    """One copy of the data in the repo (data/), which the wheel build copies into the package."""
    assert os.path.islink(REPO / "bot" / "seed") and os.readlink(REPO / "bot" / "seed") == "../data"
