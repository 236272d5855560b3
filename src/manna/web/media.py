"""The media store: pictures kept and served by Manna (a WordPress blog's uploads, brought in
by its import). They live in Django's default storage, a folder by default
(MANNA_MEDIA_DIR, `$MANNA_DATA_DIR/media`), each named by its contents so that storing it
again changes nothing and its address can be cached for ever, and are served at /media/.

Only pictures are kept (JPEG, PNG, GIF, WebP, AVIF: checked by their first bytes, not only
their names; never SVG, which can carry a script), at most MAX_BYTES each.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

MAX_BYTES = 20 * 1024 * 1024
URL = "/media/"
# The picture kinds kept: their names' endings and how their files begin.
KINDS = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
_MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
}
_NAME = re.compile(r"^[0-9a-f]{16}-[a-z0-9][a-z0-9._-]{0,100}$")
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[a-z0-9]+$)", re.I)


class PictureError(Exception):
    """A picture that cannot be kept: the message says why."""


@dataclass(frozen=True, slots=True)
class Picture:
    source: Path  # the file it comes from
    name: str  # its name in the store
    url: str  # where Manna serves it


def picture_in(folder: Path, address: str) -> Picture | None:
    """The picture an old address names, found in `folder` (a copy of WordPress's
    wp-content/uploads): by the address's path after "uploads/" (or, for WordPress.com's
    addresses, its whole path), else the full-size file a resized copy was made from
    ("x-300x200.jpg" from "x.jpg"). None when it is not there; PictureError when it is there
    but is not a picture Manna keeps."""
    path = unquote(urlsplit(address).path)
    relative = path.split("/uploads/", 1)[1] if "/uploads/" in path else path.lstrip("/")
    root = folder.resolve()
    for candidate in dict.fromkeys([relative, _SIZE_SUFFIX.sub("", relative)]):
        if not candidate:
            continue
        found = (root / candidate).resolve()
        if not found.is_relative_to(root):
            raise PictureError("its address leads outside the media folder")
        if found.is_file():
            return _picture(found)
    return None


def _picture(path: Path) -> Picture:
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise PictureError(
            f"{path.name} is not a picture Manna keeps ({', '.join(sorted(KINDS))} are)"
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PictureError(
            f"{path.name} is {size / 2**20:.1f} MiB, more than the {MAX_BYTES / 2**20:g} MiB kept"
        )
    digest = hashlib.sha256()
    with path.open("rb") as file:
        head = file.read(16)
        if not _looks_like(head, kind):
            raise PictureError(f"{path.name} is not a {kind.split('/')[1].upper()} file inside")
        digest.update(head)
        for block in iter(lambda: file.read(1 << 16), b""):
            digest.update(block)
    stem = re.sub(r"[^a-z0-9._-]+", "-", path.name.lower()).strip("-.") or "picture"
    name = f"{digest.hexdigest()[:16]}-{stem[-100:]}"
    return Picture(path, name, URL + name)


def _looks_like(head: bytes, kind: str) -> bool:
    if kind == "image/webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if kind == "image/avif":
        return head[4:8] == b"ftyp"
    return head.startswith(_MAGIC[kind])


def picture_store(picture: Picture) -> bool:
    """Keep the picture in the store; False when it was there already (same contents)."""
    if default_storage.exists(picture.name):
        return False
    with picture.source.open("rb") as source:  # streamed: a picture may be 20 MiB
        saved = default_storage.save(picture.name, File(source))
    if saved != picture.name:  # another import stored it at the same moment
        default_storage.delete(saved)
        return False
    return True


@require_safe
def media(request: HttpRequest, name: str) -> FileResponse:
    """A stored picture. Its name holds its contents' hash: cached for ever."""
    kind = KINDS.get(Path(name).suffix.lower())
    if kind is None or not _NAME.match(name):
        raise Http404("No such picture.")
    try:
        file = default_storage.open(name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation) as err:
        raise Http404("No such picture.") from err
    response = FileResponse(file, content_type=kind)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
