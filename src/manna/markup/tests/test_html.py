def test_html_for_elsewhere_has_absolute_addresses_and_no_previews():
    from manna.markup import for_elsewhere

    rendered = (
        '<p class="x">See <a class="ref" href="/bible/kjv/Exod/33/#v2" data-osis="Exod.33.2" '
        'aria-describedby="ref-1">v.2<span class="ref-preview" id="ref-1" role="tooltip">'
        '<span class="ref-preview-title">Exodus 33:2</span> And I will send</span></a> and '
        '<a href="//cdn.example/x">that</a>, <img src="/static/a.png" alt="a"></p>'
    )
    assert for_elsewhere(rendered, "https://example.org/") == (
        '<p>See <a href="https://example.org/bible/kjv/Exod/33/#v2">v.2</a> and '
        '<a href="//cdn.example/x">that</a>, <img src="https://example.org/static/a.png" alt="a"></p>'
    )
