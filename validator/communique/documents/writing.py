"""Replacing a file in one step, so that an interrupted run or a full disk never leaves half
a file: a temporary file in the same folder, written and synced, then renamed over the
target, with the target's permission bits (and owner, where allowed)."""

from __future__ import annotations

import os
import stat
import tempfile
from typing import IO


class ChangedMeanwhile(OSError):
    """The file changed between reading it and replacing it: someone else saved it."""


def write_atomically(path: str | os.PathLike, content: str | bytes | IO[str], *,
                     unless_changed_from: bytes | None = None) -> None:
    """Write `content` to `path` (the target of a symlink), replacing it in one rename; a
    text stream is copied from its start in pieces (an export too large to hold at once).
    With `unless_changed_from`, the file is compared with those bytes after the new content
    is written and synced, immediately before the rename, so that an editor's save in the
    meantime is never overwritten (ChangedMeanwhile). Raises OSError; the target is then
    unchanged and no temporary file is left."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target) or "."
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(content, (str, bytes)):
                stream.write(content.encode("utf-8") if isinstance(content, str) else content)
            else:
                content.seek(0)
                for piece in iter(lambda: content.read(1 << 20), ""):
                    stream.write(piece.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        if status is not None:
            os.chmod(temporary, stat.S_IMODE(status.st_mode))
            if hasattr(os, "chown") and (status.st_uid, status.st_gid) != (os.getuid(), os.getgid()):
                try:
                    os.chown(temporary, status.st_uid, status.st_gid)
                except OSError:
                    pass  # only the owner's permission bits can be kept
        else:
            os.chmod(temporary, 0o666 & ~umask())
        if unless_changed_from is not None:
            with open(target, "rb") as current:
                if current.read() != unless_changed_from:
                    raise ChangedMeanwhile(f"{path} changed while it was being written")
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask



def replace_unless_changed(path: str, old_raw: bytes, new_raw: bytes) -> tuple[str, str] | None:
    """Replace the file a rewriting command read as `old_raw` (fmt, migrate), unless someone
    saved it meanwhile. None on success, else ("changed", why) or ("failed", why), for the
    command to report in its own words."""
    target = os.path.realpath(path)
    try:
        if not os.access(target, os.W_OK):
            return "failed", "the file is read-only"
        write_atomically(target, new_raw, unless_changed_from=old_raw)
    except ChangedMeanwhile:
        return "changed", "the file changed meanwhile"
    except OSError as error:
        return "failed", error.strerror or str(error)
    return None


def rewrite_finding(path: str, old_raw: bytes, new_raw: bytes, *, changed, failed, done: str, again: str):
    """Replace a file a rewriting command read as `old_raw`, and say in a finding why not,
    if not: `changed` (a Code) when someone saved it meanwhile, `failed` when it cannot be
    written. None on success. The message says the file changed while it was `done`
("formatted"), and to `again` ("format it again")."""
    from ..core.findings import Finding

    problem = replace_unless_changed(path, old_raw, new_raw)
    if problem is None:
        return None
    if problem[0] == "changed":
        return Finding(path, 1, 1, changed, f"the file changed while it was {done}; it is left as saved, {again}")
    return Finding(path, 1, 1, failed, f"cannot write: {problem[1]}")
