from django.urls import path

from manna.bible import views

# manna.markup.bible_url() builds these addresses without Django; keep them equal.
urlpatterns = [
    path("bible/", views.bible_index, name="bible_index"),
    path("bible/go/", views.go, name="bible_go"),
    path("bible/<slug:translation>/<str:book>/", views.book_start, name="bible_book"),
    path("bible/<slug:translation>/<str:book>/<int:chapter>/", views.chapter, name="bible_chapter"),
    path("bible/<slug:translation>/<str:book>/<str:place>/", views.verse, name="bible_verse"),
]
