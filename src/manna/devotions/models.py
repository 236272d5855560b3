from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.urls import reverse

from manna.devotions.depth import DEFAULT, DEPTHS, LABELS


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class DepthField(models.CharField):
    """A depth: glimpse, walk or study (walk unless said; `blank=True` allows "" for
    none set). The reader's depth, a session's, a deepening plan's day."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("choices", [(depth, LABELS[depth]) for depth in DEPTHS])
        if not kwargs.get("blank"):
            kwargs.setdefault("default", DEFAULT)
        super().__init__(*args, **kwargs)


class Series(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series", args=[self.slug])


class Tag(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tag", args=[self.slug])


class Devotion(models.Model):
    """One daily devotion. `source` is the file as written; the HTML is rendered on save."""

    DRAFT = "draft"
    PUBLISHED = "published"
    STATUSES = [(DRAFT, "Draft"), (PUBLISHED, "Published")]

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    date = models.DateField(help_text="The day it appears, in the site's time zone.")
    # One of a day's devotions ("morning", "evening"; MANNA_SLOTS orders them); "" when the
    # day has one. A date and slot hold one devotion.
    slot = models.CharField(max_length=40, blank=True, default="")
    passage = models.CharField(max_length=200, help_text='As written, e.g. "Exodus 33:12-23".')
    passage_osis = models.CharField(max_length=200)
    theme = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    author = models.CharField(max_length=120, blank=True)
    translation = models.CharField(max_length=32)
    status = models.CharField(max_length=10, choices=STATUSES, default=PUBLISHED)
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="devotions"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="devotions")
    source = models.TextField(help_text="The devotion file: YAML front matter and Markdown.")
    body_html = models.TextField(editable=False, help_text="The whole devotion (study depth).")
    walk_html = models.TextField(editable=False, default="")
    glimpse_html = models.TextField(editable=False, default="")
    glimpse_derived = models.BooleanField(
        default=False, editable=False, help_text="No glimpse marked: theme, key verse, prayer."
    )
    walk_words = models.PositiveIntegerField(default=0, editable=False)
    glimpse_words = models.PositiveIntegerField(default=0, editable=False)
    passage_html = models.TextField(editable=False)
    plain_text = models.TextField(editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    # The account that writes it (the desk lists an author's own); set when the devotion is
    # first saved on the desk, or by an admin. `author` is the name shown.
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="devotions_written",
    )
    # The SHA-256 of the text last imported from (or exported to) a file: when `source`
    # differs from it, the devotion was edited on the site since, and `manna import`
    # refuses to overwrite it without --force.
    file_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # Moved on, in the same transaction, by every write that changes what its replies and
    # likes look like (manna.community): the key of the replies kept for anonymous readers.
    thread_version = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "slot"]
        indexes = [models.Index(fields=["status", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["date", "slot"], name="one_devotion_a_day_and_slot")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("devotion", args=[self.slug])

    @property
    def edited_since_file(self) -> bool:
        """Whether the text was changed on the site since its file was last imported."""
        return bool(self.file_sha256) and self.file_sha256 != text_sha256(self.source)

    @property
    def passage_url(self) -> str:
        """The passage in the reader, in the devotion's translation ("" where it lacks it)."""
        from manna.markup import passage_url
        from manna.scripture import open_store, parse_osis

        return passage_url(open_store(), self.translation, parse_osis(self.passage_osis))

    def html_at(self, depth: str) -> str:
        """The body a reader at `depth` (glimpse, walk, study) sees."""
        return {"glimpse": self.glimpse_html, "walk": self.walk_html}.get(depth, self.body_html)

    def words_at(self, depth: str) -> int:
        return {"glimpse": self.glimpse_words, "walk": self.walk_words}.get(depth, self.word_count)


class Citation(models.Model):
    """A passage a devotion cites (its own passage too), as a range of verse ids."""

    devotion = models.ForeignKey(Devotion, on_delete=models.CASCADE, related_name="citations")
    book = models.PositiveSmallIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    osis = models.CharField(max_length=100)
    is_passage = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["book", "start"]), models.Index(fields=["start", "end"])]

    def __str__(self) -> str:
        return self.osis


class Revision(models.Model):
    """One saved text of a devotion: every save that changes it keeps one, so that any
    earlier text can be seen, compared and restored."""

    DESK = "desk"
    IMPORT = "import"
    RESTORE = "restore"
    ADMIN = "admin"

    devotion = models.ForeignKey(Devotion, on_delete=models.CASCADE, related_name="revisions")
    source = models.TextField()
    saved = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    how = models.CharField(max_length=10, default=DESK)  # desk, import, restore, admin

    class Meta:
        ordering = ["-saved", "-pk"]

    def __str__(self) -> str:
        return f"Revision {self.pk} of {self.devotion_id} ({self.saved:%Y-%m-%d %H:%M})"
