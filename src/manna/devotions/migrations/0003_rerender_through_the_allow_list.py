"""Devotions saved before their HTML passed the allow-list are rendered again from their
source, so raw HTML an author wrote then (forms, refreshes, overlays) reaches nobody."""

import html

from django.conf import settings
from django.db import migrations


def rerender(apps, schema_editor):
    from manna.devotions.check import check_text
    from manna.scripture import ScriptureError, open_store

    Devotion = apps.get_model("devotions", "Devotion")
    if not Devotion.objects.exists():
        return
    try:
        store = open_store()
    except ScriptureError as err:
        raise RuntimeError(
            f"{err}. Devotions are rendered again by this migration: build the store "
            "(manna import-bible --all), then migrate again."
        ) from None
    for devotion in Devotion.objects.all():
        checked = check_text(
            devotion.source,
            store=store,
            default_translation=devotion.translation or settings.MANNA_TRANSLATION,
        )
        rendered = checked.rendered if checked.devotion is not None else None
        if rendered is None:
            # The source no longer passes the check (a stricter rule): readers see its
            # plain text until the author saves it again; the source is kept as written.
            text = html.escape(devotion.plain_text)
            devotion.body_html = devotion.walk_html = devotion.glimpse_html = f"<p>{text}</p>"
        else:
            devotion.body_html = rendered.body_html
            devotion.walk_html = rendered.depth_html["walk"]
            devotion.glimpse_html = rendered.depth_html["glimpse"]
            devotion.passage_html = rendered.passage_html
        devotion.save(update_fields=["body_html", "walk_html", "glimpse_html", "passage_html"])


class Migration(migrations.Migration):
    dependencies = [("devotions", "0002_devotion_glimpse_derived_devotion_glimpse_html_and_more")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
