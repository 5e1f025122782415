"""The console on a terminal, as a user sees it: a pseudo-terminal (pty) is the console's controlling terminal,
so Ctrl-C is a real SIGINT from the terminal and the arrow keys go through readline."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env
from tests.conftest import REPO

CTRL_C, CTRL_D, UP = b"\x03", b"\x04", b"\x1b[A"


def _take_the_terminal() -> None:
    """In the child, after setsid: make the pty on stdin the controlling terminal (so ^C sends SIGINT)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """`python -m bot console` on a pty: type into it, read what the screen shows."""

    def __init__(self, tmp_path: Path) -> None:
        self.home = tmp_path / "home"
        env = cli_env(tmp_path / "tty.db", self.home, TERM="xterm")
        master, slave = pty.openpty()
        self.master = master
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console"],
            cwd=REPO,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=_take_the_terminal,
        )
        os.close(slave)
        self.screen = b""
        self.cursor = 0  # read_until looks for what comes after this

    def read_until(self, needle: bytes, timeout: float = 20.0) -> bool:
        """Read until `needle` appears after the last thing found (True), or time runs out (False)."""
        deadline = time.monotonic() + timeout
        while needle not in self.screen[self.cursor :] and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the console closed the terminal
                    break
                if not chunk:
                    break
                self.screen += chunk
        found = self.screen.find(needle, self.cursor)
        if found < 0:
            return False
        self.cursor = found + len(needle)
        return True

    def prompt(self) -> None:
        """Wait for the prompt, and a moment more, as a person would before the next key.

        CPython's readline notices a signal only when it interrupts its wait for a key: a Ctrl-C in the
        instant between drawing the prompt and starting that wait is held until the next Enter."""
        assert self.read_until(b"> "), self.text()
        time.sleep(0.5)

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def exit_code(self, timeout: float) -> int | None:
        """The exit status if the console ends within `timeout` seconds, else None."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        finally:
            self.read_until(b"\0", timeout=0.2)  # whatever it printed on the way out

    def text(self) -> str:
        return self.screen.decode("utf-8", "replace").replace("\r\n", "\n")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    opened = Terminal(tmp_path)
    try:
        yield opened
    finally:
        opened.close()


def test_ctrl_c_at_the_prompt_exits_at_once(terminal):
    terminal.prompt()
    terminal.type(CTRL_C)
    assert terminal.exit_code(timeout=5) == 130, terminal.text()
    assert terminal.text().rstrip().endswith("Bye.")
    assert "Traceback" not in terminal.text()


def test_ctrl_c_after_a_question_exits_too(terminal):
    terminal.prompt()
    terminal.type(b"how many times was he shot\r")
    assert terminal.read_until(b"five times")
    terminal.prompt()
    terminal.type(CTRL_C)
    assert terminal.exit_code(timeout=5) == 130, terminal.text()


def test_ctrl_d_ends_on_a_fresh_line(terminal):
    terminal.prompt()
    terminal.type(CTRL_D)
    assert terminal.exit_code(timeout=10) == 0, terminal.text()
    assert terminal.text().rstrip().splitlines()[-1] == "Bye."  # not "> Bye."


def test_slash_quit_leaves(terminal):
    terminal.prompt()
    terminal.type(b"/quit\r")
    assert terminal.exit_code(timeout=10) == 0, terminal.text()
    assert "Unknown command" not in terminal.text()
    assert terminal.text().rstrip().endswith("Bye.")


def test_the_up_arrow_recalls_a_line_and_history_is_kept_outside_the_repo(terminal, tmp_path):
    pytest.importorskip("readline")
    terminal.prompt()
    terminal.type(b"who lee\r")
    assert terminal.read_until(b"paragraphs 9 and 10 of the article]")
    terminal.prompt()
    terminal.type(UP + b"\r")  # the same line again, recalled
    assert terminal.read_until(b"paragraphs 9 and 10 of the article]"), terminal.text()
    terminal.prompt()
    terminal.type(b"quit\r")
    assert terminal.exit_code(timeout=10) == 0
    history = terminal.home / ".local" / "state" / "storybot" / "console_history"
    assert "who lee" in history.read_text(encoding="utf-8")
    assert history.stat().st_mode & 0o077 == 0
    assert not list(REPO.glob("*history*"))


def test_history_from_an_earlier_session_is_recalled(tmp_path):
    pytest.importorskip("readline")
    first = Terminal(tmp_path)
    try:
        first.prompt()
        first.type(b"explain dmz\r")
        assert first.read_until(b"paragraphs 1, 3 and 5 of the article]")
        first.prompt()
        first.type(CTRL_D)
        assert first.exit_code(timeout=10) == 0
    finally:
        first.close()
    second = Terminal(tmp_path)
    try:
        second.prompt()
        second.type(UP + b"\r")
        assert second.read_until(b"paragraphs 1, 3 and 5 of the article]"), second.text()
    finally:
        second.close()
