"""The media store: pictures found in a copy of WordPress's uploads, kept and served."""

from __future__ import annotations

import hashlib

import pytest

from manna.web import media
from manna.web.media import PictureError, picture_in, picture_store

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40  # enough of a PNG for its kind to be known
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2019" / "05").mkdir(parents=True)
    (folder / "2019" / "05" / "Rock Face.png").write_bytes(PNG)
    (folder / "2019" / "05" / "sea.jpg").write_bytes(JPEG)
    (folder / "2019" / "05" / "drawing.svg").write_text("<svg onload='alert(1)'/>")
    (folder / "2019" / "05" / "fake.jpg").write_bytes(b"<html>not a picture</html>")
    return folder


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_picture_is_found_by_its_old_address_and_named_by_its_contents(uploads):
    found = picture_in(uploads, "https://blog.example.org/wp-content/uploads/2019/05/sea.jpg")
    digest = hashlib.sha256(JPEG).hexdigest()[:16]
    assert found is not None
    assert (found.source, found.name, found.url) == (
        uploads / "2019" / "05" / "sea.jpg",
        f"{digest}-sea.jpg",
        f"/media/{digest}-sea.jpg",
    )
    # a resized copy's address leads to the full-size file; an escaped name is read
    resized = picture_in(uploads, "/wp-content/uploads/2019/05/sea-300x200.jpg")
    assert resized is not None and resized.name == found.name
    spaced = picture_in(uploads, "https://x.files.wordpress.com/2019/05/Rock%20Face.png?w=640")
    assert spaced is not None and spaced.name.endswith("-rock-face.png")


def test_a_picture_not_there_is_none_and_one_not_kept_says_why(uploads, tmp_path):
    assert picture_in(uploads, "/wp-content/uploads/2020/01/gone.jpg") is None
    with pytest.raises(PictureError, match=r"drawing.svg is not a picture Manna keeps \(.avif"):
        picture_in(uploads, "/wp-content/uploads/2019/05/drawing.svg")
    with pytest.raises(PictureError, match=r"fake\.jpg is not a JPEG file inside"):
        picture_in(uploads, "/wp-content/uploads/2019/05/fake.jpg")
    (tmp_path / "secret.png").write_bytes(PNG)
    with pytest.raises(PictureError, match="leads outside the media folder"):
        picture_in(uploads, "/wp-content/uploads/../secret.png")


def test_a_picture_too_large_is_refused(uploads, monkeypatch):
    monkeypatch.setattr(media, "MAX_BYTES", 10)
    with pytest.raises(
        PictureError, match=r"sea.jpg is 0.0 MiB, more than the 9.53674e-06 MiB kept"
    ):
        picture_in(uploads, "/wp-content/uploads/2019/05/sea.jpg")


def test_a_stored_picture_is_served_for_ever_and_storing_it_again_changes_nothing(
    uploads, media_root, client
):
    picture = picture_in(uploads, "/wp-content/uploads/2019/05/Rock Face.png")
    assert picture is not None
    assert picture_store(picture) is True
    assert picture_store(picture) is False
    assert sorted(p.name for p in media_root.iterdir()) == [picture.name]
    response = client.get(picture.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    "name",
    ["0123456789abcdef-gone.png", "notahash-x.png", "0123456789abcdef-x.svg", "..%2Fmanna.png"],
)
def test_a_name_that_is_not_a_stored_picture_is_not_found(name, media_root, client):
    assert client.get(f"/media/{name}").status_code == 404


def test_the_media_address_only_reads(uploads, media_root, client):
    picture = picture_in(uploads, "/wp-content/uploads/2019/05/sea.jpg")
    assert picture is not None
    picture_store(picture)
    assert client.post(picture.url).status_code == 405
