"""What leaves the collect stage is safe to put in an email: HTML, titles, URLs, teasers."""

from __future__ import annotations

import pytest

from digest.sanitize import clean_html, clean_title, clean_url, make_teaser, strip_tracking

HOSTILE = [
    '<script>alert("x")</script>',
    '<img src="https://img.example/a.jpg" onerror="alert(1)">',
    '<p onclick="steal()" onmouseover="steal()">text</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt&colon;alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<iframe src="https://evil.example/"></iframe>',
    '<form action="https://evil.example/"><input type="password" name="pw"></form>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">m</maction></math>',
    '<svg onload="alert(1)"><a xlink:href="javascript:alert(1)">s</a></svg>',
    '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!-- <script>alert(1)</script> -->",
    '<textarea><script>alert(1)</script></textarea>',
    '<button formaction="javascript:alert(1)">b</button>',
]
FORBIDDEN = [
    "<script", "alert(", "javascript", "vbscript", "data:", "onerror", "onclick", "onload",
    "onmouseover", "<iframe", "<form", "<input", "password", "<style", "style=", "<math",
    "<svg", "xlink", "<object", "<embed", "<meta", "<base", "<link", "<!--", "<textarea",
    "<button", "formaction",
]  # fmt: skip


@pytest.mark.parametrize("markup", HOSTILE)
def test_clean_html_removes_everything_active(markup: str) -> None:
    cleaned = clean_html(f"<p>before</p>{markup}<p>after</p>").lower()
    assert [bad for bad in FORBIDDEN if bad in cleaned] == []
    assert "before" in cleaned and "after" in cleaned


def test_clean_html_keeps_simple_formatting_links_and_images() -> None:
    html = (
        '<p>A <b>bold</b>, <i>italic</i> and <a href="https://news.example/x" target="_blank" '
        'class="c">linked</a> word.</p><ul><li>one</li></ul>'
        '<img src="https://img.example/a.jpg" alt="A harbour" width="600">'
        '<a href="mailto:desk@news.example">mail us</a>'
    )
    assert clean_html(html) == (
        '<p>A <b>bold</b>, <i>italic</i> and <a href="https://news.example/x" '
        'rel="noopener noreferrer">linked</a> word.</p><ul><li>one</li></ul>'
        '<img src="https://img.example/a.jpg" alt="A harbour" width="600">'
        '<a href="mailto:desk@news.example" rel="noopener noreferrer">mail us</a>'
    )


def test_clean_html_resolves_relative_urls_against_the_base_or_drops_them() -> None:
    html = '<a href="/story/1">s</a><img src="../pic.png" alt="p">'
    assert clean_html(html, "https://news.example/feeds/world.xml") == (
        '<a href="https://news.example/story/1" rel="noopener noreferrer">s</a>'
        '<img src="https://news.example/pic.png" alt="p">'
    )
    assert clean_html(html) == '<a rel="noopener noreferrer">s</a>'


def test_clean_html_of_nothing_is_empty() -> None:
    assert clean_html("") == ""
    assert clean_html("<script>x</script>") == ""


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<script>alert(1)</script>Hello", "Hello"),
        ('Stars <img src=x onerror="alert(1)">shine', "Stars shine"),
        ("Bridge reopens after <b>two-year</b> repair", "Bridge reopens after two-year repair"),
        ("AT&amp;T buys &lt;b&gt;", "AT&T buys <b>"),  # entities decoded exactly once
        ("AT&amp;amp;T", "AT&amp;T"),
        ("Q&A: 1 < 2 > 0", "Q&A: 1 < 2 > 0"),
        ("Line one\r\nBcc: victim@example.com", "Line one Bcc: victim@example.com"),
        ("NUL\x00 ESC\x1b[31m red\x1b[0m", "NUL ESC[31m red[0m"),
        ("C1\x85next\x9bhere\x7f", "C1 nexthere"),
        ("  lots\t of \u2028 space\u00a0 ", "lots of space"),
        ("新大桥今天正式通车", "新大桥今天正式通车"),
        ("Ünïcödé — “quotes” €", "Ünïcödé — “quotes” €"),
        ("", ""),
    ],
)
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_clean_title_leaves_no_control_characters() -> None:
    everything = "".join(chr(c) for c in range(0x00, 0xA0)) + "end"
    cleaned = clean_title(everything)
    assert not [c for c in cleaned if ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F]
    assert cleaned.endswith("end")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://news.example/a?b=1#c", "https://news.example/a?b=1#c"),
        ("  HTTP://news.example/a\n", "http://news.example/a"),
        ("https://news.example/a b", "https://news.example/a%20b"),
        ("https://news.ex\tample/\r\npath", "https://news.example/path"),
        ("https://zh.news.example/文章", "https://zh.news.example/文章"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("file:///etc/passwd", None),
        ("ftp://files.example/a", None),
        ("mailto:a@b.example", None),
        ("/relative/path", None),
        ("//news.example/protocol-relative", None),
        ("http://[::1", None),
        ("https://", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_url(raw: str | None, clean: str | None) -> None:
    assert clean_url(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "https://www.dw.com/en/story/a-79209321?maca=en-rss-en-all-1573-rdf",
            "https://www.dw.com/en/story/a-79209321",
        ),
        (
            "https://www.bbc.co.uk/news/articles/c62kzr1jg0jo?at_medium=RSS&at_campaign=rss",
            "https://www.bbc.co.uk/news/articles/c62kzr1jg0jo",
        ),
        (
            "https://n.example/a?id=7&utm_source=rss&UTM_Medium=x&page=2#comments",
            "https://n.example/a?id=7&page=2",
        ),
        (
            "https://n.example/a?xtor=RSS-1&fbclid=1&gclid=2&smid=3&ocid=4&q=a%20b",
            "https://n.example/a?q=a%20b",
        ),
        ("https://n.example/a", "https://n.example/a"),
        ("https://n.example/a?", "https://n.example/a"),
    ],
)
def test_strip_tracking(raw: str, clean: str) -> None:
    assert strip_tracking(raw) == clean


def test_make_teaser_keeps_short_text_whole() -> None:
    assert make_teaser("<p>Short and <b>sweet</b>.</p>") == "Short and sweet."


def test_make_teaser_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    text = " ".join(f"word{i}" for i in range(100))
    teaser = make_teaser(text, words=10)
    assert teaser == " ".join(f"word{i}" for i in range(10)) + "…"


def test_make_teaser_drops_dangling_punctuation_before_the_ellipsis() -> None:
    assert make_teaser("one two three, four five", words=3) == "one two three…"


def test_make_teaser_separates_blocks_and_drops_scripts() -> None:
    html = "<p>First paragraph.</p><p>Second</p><script>var x = 1;</script><br>third"
    assert make_teaser(html) == "First paragraph. Second third"


def test_make_teaser_caps_text_without_spaces() -> None:
    chinese = "经过两年的建设连接南北两岸的新大桥今天上午正式通车" * 10
    teaser = make_teaser(chinese, words=10)  # 80 letters' worth: 20 characters
    assert teaser == chinese[:20] + "…"


def test_make_teaser_cuts_chinese_at_the_end_of_a_clause() -> None:
    sentence = "新大桥今天上午正式通车，市长出席了通车仪式。"  # 22 characters
    teaser = make_teaser(sentence * 10, words=45)  # 360 letters' worth: 90 characters
    assert teaser == (sentence * 4)[:-1] + "…"  # 88 characters, at the last "。", which goes
    assert make_teaser(sentence, words=45) == sentence  # short text stays whole
    # a cut never ends on an opening bracket or quote
    report = "总理今天在人民大会堂宣读了《政府工作报告》并回答记者提问"
    assert make_teaser(report, words=7) == "总理今天在人民大会堂宣读了…"  # 14th: 《


def test_make_teaser_of_zero_words_is_empty() -> None:
    assert make_teaser("anything", words=0) == ""
