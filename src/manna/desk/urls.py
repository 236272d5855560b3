from django.urls import path

from manna.desk import views

urlpatterns = [
    path("write/", views.index, name="desk"),
    path("write/new/", views.new, name="desk_new"),
    path("write/preview/", views.preview, name="desk_preview"),
    path("write/format/", views.format_help, name="format_help"),
    path("write/autosave/", views.autosave, name="desk_autosave"),
    path("write/<slug:slug>/", views.edit, name="desk_edit"),
    path("write/<slug:slug>/history/", views.history, name="desk_history"),
    path("write/<slug:slug>/history/<int:pk>/restore/", views.restore, name="desk_restore"),
    path("authors/<slug:slug>/", views.author, name="author"),
]
