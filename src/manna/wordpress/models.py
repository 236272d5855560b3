from __future__ import annotations

from django.db import models


class ImportedPost(models.Model):
    """A WordPress post brought in as a devotion: importing the same export again finds it
    by the site and the post's id, and the text it last wrote tells whether the devotion
    was edited in Manna since."""

    site = models.CharField(max_length=300, help_text="The export's base site address.")
    wp_id = models.PositiveBigIntegerField()
    devotion = models.ForeignKey(
        "devotions.Devotion", null=True, on_delete=models.SET_NULL, related_name="wordpress"
    )
    link = models.CharField(max_length=1000, blank=True, help_text="Its old address.")
    text_sha256 = models.CharField(max_length=64, help_text="The text the import last wrote.")
    imported = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "wp_id"], name="one_devotion_per_post")
        ]

    def __str__(self) -> str:
        return f"WordPress post {self.wp_id}"
