"""`{{ reading.osis|reader_url }}`: where a plan's reading is read in the Bible reader (in
the site's translation, its own numbering); "" when it cannot be read there."""

from django import template
from django.conf import settings

from manna.markup import passage_url
from manna.scripture import ScriptureError, open_store, parse_osis

register = template.Library()


@register.filter
def reader_url(osis: str) -> str:
    try:
        return passage_url(open_store(), settings.MANNA_TRANSLATION, parse_osis(osis))
    except ScriptureError:  # not a passage, or no store yet (`manna init` builds it)
        return ""
