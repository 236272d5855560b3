from django.urls import path

from manna.practice import views

urlpatterns = [
    path("", views.home, name="practice"),
    path("settings/", views.rhythm_settings, name="practice_settings"),
    path("settings/calendar/", views.calendar_renew, name="practice_calendar_renew"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="practice_calendar"),
    path("session/", views.session_now, name="practice_session_now"),
    path("session/<str:kind>/", views.session_page, name="practice_session"),
    path(
        "session/<str:kind>/<str:action>/",
        views.session_action,
        name="practice_session_action",
    ),
    path("journal/", views.journal, name="journal"),
    path("journal/new/", views.journal_new, name="journal_new"),
    path("journal/save/", views.journal_save, name="journal_save"),
    path("journal/import/", views.journal_import, name="journal_import"),
    path(
        "journal/export.<str:fmt>",
        views.journal_export,
        name="journal_export",
    ),
    path("journal/<int:pk>/", views.journal_entry, name="journal_entry"),
    path("journal/<int:pk>/delete/", views.journal_delete, name="journal_delete"),
    path("prayers/", views.prayers, name="prayers"),
    path("prayers/answered/", views.prayers_answered, name="prayers_answered"),
    path("prayers/<int:pk>/", views.prayer, name="prayer"),
    path("prayers/<int:pk>/delete/", views.prayer_delete, name="prayer_delete"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/<str:action>/", views.plan_action, name="plan_action"),
    path("readings/<int:pk>/done/", views.reading_done, name="reading_done"),
    path("rhythm/", views.rhythm, name="rhythm"),
    path("depth/not-now/", views.depth_not_now, name="depth_not_now"),
]
