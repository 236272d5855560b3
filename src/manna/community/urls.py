from django.urls import path

from manna.community import views

urlpatterns = [
    path("devotions/<slug:slug>/reply/", views.reply_new, name="reply_new"),
    path("devotions/<slug:slug>/like/", views.devotion_like, name="devotion_like"),
    path("replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/delete/", views.reply_delete, name="reply_delete"),
    path("replies/<int:pk>/like/", views.reply_like, name="reply_like"),
    path("replies/<int:pk>/flag/", views.reply_flag, name="reply_flag"),
    path("replies/<int:pk>/history/", views.reply_history, name="reply_history"),
    path("moderation/", views.moderation, name="moderation"),
]
