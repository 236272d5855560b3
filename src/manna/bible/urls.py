from django.urls import path

from manna.bible import views

# manna.markup.bible_url() builds these addresses without Django; keep them equal.
urlpatterns = [
    path("", views.bible_index, name="bible_index"),
    path("go/", views.go, name="bible_go"),
    path("<slug:translation>/<str:book>/", views.book_start, name="bible_book"),
    path("<slug:translation>/<str:book>/<int:chapter>/", views.chapter, name="bible_chapter"),
    path("<slug:translation>/<str:book>/<str:place>/", views.verse, name="bible_verse"),
]
