"""Every kind of page, by who may see it: the phone tests and the accessibility checks
go through them all."""

ANYONE = [
    "/",
    "/devotions/show-me-your-glory/",
    "/archive/",
    "/series/",
    "/scripture/",
    "/bible/",
    "/bible/kjv/Exod/33/?parallel=web",
    "/search/?q=glory",
    "/subscribe/",
    "/account/signin/",
    "/account/signup/",
    "/offline/",
]
READER = [
    "/practice/",
    "/practice/session/morning/",
    "/practice/journal/",
    "/practice/journal/new/",
    "/practice/prayers/",
    "/practice/plans/",
    "/practice/rhythm/",
    "/practice/settings/",
    "/account/",
    "/account/email/",
]
AUTHOR = ["/write/", "/write/new/"]
