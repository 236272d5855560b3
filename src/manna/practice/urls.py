from django.urls import path

from manna.practice import views

urlpatterns = [
    path("practice/", views.home, name="practice"),
    path("practice/settings/", views.rhythm_settings, name="practice_settings"),
    path("practice/settings/calendar/", views.calendar_renew, name="practice_calendar_renew"),
    path("practice/calendar/<str:token>.ics", views.calendar_feed, name="practice_calendar"),
    path("practice/session/", views.session_now, name="practice_session_now"),
    path("practice/session/<str:kind>/", views.session_page, name="practice_session"),
    path(
        "practice/session/<str:kind>/<str:action>/",
        views.session_action,
        name="practice_session_action",
    ),
    path("practice/journal/", views.journal, name="journal"),
    path("practice/journal/new/", views.journal_new, name="journal_new"),
    path("practice/journal/save/", views.journal_save, name="journal_save"),
    path("practice/journal/import/", views.journal_import, name="journal_import"),
    path(
        "practice/journal/export.<str:fmt>",
        views.journal_export,
        name="journal_export",
    ),
    path("practice/journal/<int:pk>/", views.journal_entry, name="journal_entry"),
    path("practice/journal/<int:pk>/delete/", views.journal_delete, name="journal_delete"),
    path("practice/prayers/", views.prayers, name="prayers"),
    path("practice/prayers/answered/", views.prayers_answered, name="prayers_answered"),
    path("practice/prayers/<int:pk>/", views.prayer, name="prayer"),
    path("practice/prayers/<int:pk>/delete/", views.prayer_delete, name="prayer_delete"),
    path("practice/plans/", views.plans, name="plans"),
    path("practice/plans/<int:pk>/", views.plan, name="plan"),
    path("practice/plans/<int:pk>/<str:action>/", views.plan_action, name="plan_action"),
    path("practice/readings/<int:pk>/done/", views.reading_done, name="reading_done"),
    path("practice/rhythm/", views.rhythm, name="rhythm"),
    path("practice/depth/not-now/", views.depth_not_now, name="depth_not_now"),
]
