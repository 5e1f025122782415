"""The timeline at the command line and in the console: the text pages, and the picture saved to a file."""

from __future__ import annotations

import io
import subprocess
import sys

from PIL import Image

from tests.cli_helpers import cli_env, run_cli
from tests.conftest import REPO

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_timeline_png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_SIGNATURE)
    picture = Image.open(io.BytesIO(data))
    picture.verify()
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "PNG" and picture.width <= 1600
    return picture


def test_timeline_image_writes_a_png_and_says_so(tmp_path):
    target = tmp_path / "timeline.png"
    result = run_cli(cli_env(tmp_path / "t.db", tmp_path), "timeline", "--image", target)
    assert result.returncode == 0, result.stderr
    picture = assert_timeline_png(target.read_bytes())
    width, height = picture.size
    kib = round(target.stat().st_size / 1024)
    assert result.stdout == f"wrote the timeline picture to {target} ({width:,} x {height:,} px, {kib:,} KiB)\n"


def test_timeline_image_never_overwrites_a_file(tmp_path):
    target = tmp_path / "mine.png"
    target.write_bytes(b"my own picture")
    result = run_cli(cli_env(tmp_path / "t.db", tmp_path), "timeline", "--image", target)
    assert result.returncode == 1
    assert result.stderr == f"error: {target} already exists; choose a new file name\n"
    assert target.read_bytes() == b"my own picture"


def test_timeline_image_into_a_missing_folder_is_one_error_line(tmp_path):
    target = tmp_path / "nowhere" / "t.png"
    result = run_cli(cli_env(tmp_path / "t.db", tmp_path), "timeline", "--image", target)
    assert result.returncode == 1
    assert result.stderr == f"error: cannot write {target}: No such file or directory\n"
    assert not target.exists()


def test_timeline_image_dash_writes_the_png_to_standard_output(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "timeline", "--image", "-"],
        cwd=tmp_path,
        env={**cli_env(tmp_path / "t.db", tmp_path), "PYTHONPATH": str(REPO)},
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert_timeline_png(result.stdout)
    assert result.stderr.decode().startswith("wrote the timeline picture to standard output (1,080 x ")
    assert not (tmp_path / "-").exists()


def test_timeline_prints_every_page_under_its_heading(tmp_path):
    result = run_cli(cli_env(tmp_path / "t.db", tmp_path), "timeline")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    headings = [out.index(h) for h in ("Timeline: Background\n", "Timeline: Monday\n", "Timeline: Tuesday\n")]
    assert headings == sorted(headings)
    assert "The article gives no year for March and September." in out
    assert "(page" not in out and "next:" not in out  # the console's page hints mean nothing here
    assert "¶" not in out and "(paragraph 13)" in out
    assert all(len(line) <= 80 for line in out.splitlines())


def test_timeline_page_prints_that_page_only(tmp_path):
    env = cli_env(tmp_path / "t.db", tmp_path)
    result = run_cli(env, "timeline", "--page", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Timeline: Monday\n") and "Timeline: Tuesday" not in result.stdout
    wrong = run_cli(env, "timeline", "--page", "9")
    assert wrong.returncode == 1
    assert wrong.stderr == "error: The timeline has 3 pages; pick a page from 1 to 3.\n"


def test_timeline_page_and_image_together_are_refused(tmp_path):
    result = run_cli(cli_env(tmp_path / "t.db", tmp_path), "timeline", "--page", "2", "--image", tmp_path / "x.png")
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_console_saves_the_picture_and_refuses_to_overwrite_it(tmp_path):
    lines = "timeline --image first.png\n/timeline image first.png\n"
    result = run_cli(cli_env(tmp_path / "t.db", tmp_path), "console", stdin=lines, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert_timeline_png((tmp_path / "first.png").read_bytes())
    assert "Saved the timeline picture to first.png (1,080 x " in result.stdout
    assert "first.png already exists; choose a new file name." in result.stdout
