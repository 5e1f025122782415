"""Saving the timeline picture to a file for the console and the CLI: only ever a new file, never half-written."""

from __future__ import annotations

import contextlib
from pathlib import Path

from bot.handlers.replies import Picture


class PictureFileError(Exception):
    """The picture could not be saved; the message says why in one line."""


def save_picture(picture: Picture, path: Path) -> str:
    """Write the PNG to `path`, which must not exist yet; return what was written, in words."""
    try:
        with path.open("xb") as out:
            try:
                out.write(picture.data)
            except BaseException:
                out.close()
                with contextlib.suppress(OSError):
                    path.unlink()
                raise
    except FileExistsError:
        raise PictureFileError(f"{path} already exists; choose a new file name") from None
    except OSError as exc:
        raise PictureFileError(f"cannot write {path}: {exc.strerror or exc}") from None
    return f"the timeline picture to {path} ({describe(picture)})"


def describe(picture: Picture) -> str:
    """'1,080 x 3,572 px, 382 KiB'."""
    return f"{picture.width:,} x {picture.height:,} px, {len(picture.data) / 1024:,.0f} KiB"
