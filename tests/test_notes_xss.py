"""Known XSS payloads through the notes' Markdown renderer: everything comes out inert.

"Inert" is checked on the parsed output, not by string search: only allow-listed tags, no event
handler or style attributes, and every link http(s), mailto or relative.
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit

import lxml.html
import pytest

from confnet.database import utcnow
from confnet.extensions import db
from confnet.models import PublishedItem
from confnet.notes import services
from confnet.notes.rendering import TAGS, is_allowed_link, plain_excerpt, render_markdown
from confnet.releases.services import publish_schedule

PAYLOADS = [
    # Raw HTML, which Markdown would normally pass through.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<embed src="javascript:alert(1)">',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>@import 'http://evil.example/x.css';</style>",
    '<link rel="stylesheet" href="http://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<a href=javascript:alert(1)>x</a>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<p title='</p><script>alert(1)</script>'>x</p>",
    "<table><tr><td onmouseover=alert(1)>x</td></tr></table>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    # Markdown links and images.
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1)  )",
    "[x](java\tscript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/phish)",
    "[x](\\\\evil.example)",
    "[x](/\\evil.example)",
    "[x](<javascript:alert(1)>)",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '[x](https://ok.example"onmouseover="alert(1))',
    "[x]: javascript:alert(1)\n\n[x]",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    '![x" onerror="alert(1)](https://ok.example/i.png)',
    "![<img src=x onerror=alert(1)>](https://ok.example/i.png)",
    "[<img src=x onerror=alert(1)>](https://ok.example)",
    "[![x](javascript:alert(1))](javascript:alert(2))",
    # Code, tables and broken nesting.
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    '```"><script>alert(1)</script>\n```',
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "| a |\n|:-:|\n| <img src=x onerror=alert(1)> |",
    "> " * 500 + "<script>alert(1)</script>",
    "- " * 500 + "[x](javascript:alert(1))",
    "*" * 5000 + "x" + "_" * 5000,
    "[" * 2000 + "x" + "](javascript:alert(1))" * 2000,
    "<" * 3000 + "script>",
    "**<b>unclosed _<i>mix",
    "# <h1 onclick=alert(1)>x</h1>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\x00<script>alert(1)</script>",
    "\u202e<script>alert(1)</script>",
]

ALLOWED_ATTRIBUTES = {"href", "title", "rel", "start", "class"}


def inert(html: str) -> list[str]:
    """What is wrong with ``html`` (empty when it is inert)."""
    problems = []
    root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    for element in root.iter():
        if element is root or not isinstance(element.tag, str):
            continue
        if element.tag not in TAGS:
            problems.append(f"tag {element.tag}")
        for name, value in element.attrib.items():
            if name not in ALLOWED_ATTRIBUTES:
                problems.append(f"attribute {name}")
            if name == "href":
                scheme = urlsplit(value.strip()).scheme.lower()
                if scheme not in ("", "http", "https", "mailto") or value.startswith("//"):
                    problems.append(f"href {value}")
            if name == "class" and value not in ("al-left", "al-center", "al-right"):
                problems.append(f"class {value}")
    return problems


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payload_renders_inert(payload):
    html = str(render_markdown(payload))
    assert inert(html) == [], html
    assert "<script" not in html.lower()  # as text it is harmless: "&lt;script"
    plain_excerpt(payload)  # the plain-text summary copes too


def test_the_list_is_long_enough_and_the_checker_would_notice():
    assert len(PAYLOADS) >= 70
    assert inert('<img src=x onerror="alert(1)">') == [
        "tag img",
        "attribute src",
        "attribute onerror",
    ]
    assert inert('<a href="javascript:alert(1)">x</a>') == ["href javascript:alert(1)"]


def test_good_markdown_still_works():
    html = str(render_markdown("[ok](https://ok.example) [mail](mailto:a@b.example) [rel](notes)"))
    assert inert(html) == []
    assert html.count('rel="noopener noreferrer nofollow"') == 3
    assert is_allowed_link("#section") and is_allowed_link("/c/x/knowledge")
    assert not is_allowed_link("javascript:alert(1)") and not is_allowed_link("//evil.example")


def test_payloads_stay_inert_on_the_page_under_a_strict_csp(client, make, login):
    conference = make.conference("xss")
    item = make.item(conference, starts_at=datetime(2027, 3, 26, 8, tzinfo=UTC))
    user = make.user()
    make.member(user, conference)
    publish_schedule(conference, by=None)
    text = "\n\n".join(PAYLOADS[:40])
    published = db.session.get(PublishedItem, item.id)
    services.save_shared_note(published, user, text, base=0, now=utcnow())
    login(user)
    response = client.get(f"/c/xss/sessions/{item.id}/notes")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = lxml.html.fromstring(response.get_data(as_text=True))
    note = page.get_element_by_id("note")
    inner = "".join(lxml.html.tostring(child, encoding="unicode") for child in note)
    assert len(note) > 30 and inert(inner) == []
    assert page.xpath("//script[not(@src)]") == [] and page.xpath("//@style") == []
