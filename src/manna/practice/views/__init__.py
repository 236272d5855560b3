"""The reader's practice pages. Thin: services write, selectors read.

Every page is for its signed-in owner only: another person's session, entry, prayer or
plan is 404, whoever asks (moderators and admins included). Forms work without
JavaScript; the journal editor's script only adds autosave and the offline queue.

One module a feature (overview, sessions, journal, prayers, plans, depth); this
package re-exports the views for the URLs.
"""

from manna.practice.views.depth import depth_not_now
from manna.practice.views.journal import (
    journal,
    journal_delete,
    journal_entry,
    journal_export,
    journal_import,
    journal_new,
    journal_save,
)
from manna.practice.views.overview import (
    calendar_feed,
    calendar_renew,
    home,
    rhythm,
    rhythm_settings,
)
from manna.practice.views.plans import plan, plan_action, plans, reading_done
from manna.practice.views.prayers import prayer, prayer_delete, prayers, prayers_answered
from manna.practice.views.sessions import session_action, session_now, session_page

__all__ = [
    "calendar_feed",
    "calendar_renew",
    "depth_not_now",
    "home",
    "journal",
    "journal_delete",
    "journal_entry",
    "journal_export",
    "journal_import",
    "journal_new",
    "journal_save",
    "plan",
    "plan_action",
    "plans",
    "prayer",
    "prayer_delete",
    "prayers",
    "prayers_answered",
    "reading_done",
    "rhythm",
    "rhythm_settings",
    "session_action",
    "session_now",
    "session_page",
]
