"""Markdown for notes, rendered safely: what anyone types can never run in a reader's browser.

Two lines of defence:
1. markdown-it-py (CommonMark plus tables) with ``html=False``, so raw HTML comes out escaped,
   and a link check that lets through http, https, mailto and relative links only. Images
   become plain links (no tracking pixels; the CSP would block outside images anyway), and
   table alignment becomes a class instead of an inline style (the CSP forbids those).
2. nh3 cleans the result against an allow-list of tags and attributes (no style, no event
   handlers, no ids) and puts ``rel="noopener noreferrer nofollow"`` on every link.
"""

import html
import re
from functools import lru_cache
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markupsafe import Markup

SCHEMES = frozenset({"http", "https", "mailto"})
_ALIGN = re.compile(r"text-align:(left|center|right)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACE = re.compile(r"\s+")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|pre|blockquote)>")
_ROW_END = re.compile(r"</(t[dh])>\s*</tr>")  # inside the cell: text between rows would move
_SEPARATORS = re.compile(r"(?:\s*·\s*)+")

TAGS = {
    *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code"),
    *("ul", "ol", "li", "em", "strong", "s", "del", "a"),
    *("table", "thead", "tbody", "tr", "th", "td"),
}
ALIGN_CLASSES = {"al-left", "al-center", "al-right"}

_cleaner = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href", "title"}, "ol": {"start"}},
    allowed_classes={"th": ALIGN_CLASSES, "td": ALIGN_CLASSES},
    url_schemes=set(SCHEMES),
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
_text_only = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"})


def is_allowed_link(url: str) -> bool:
    """http, https and mailto links, and links within this site (``/...``, ``#...``, ``page``).

    Protocol-relative (``//host``) and backslash tricks count as other sites' schemes: refused.
    """
    url = url.strip()
    if url.startswith(("//", "\\", "/\\")) or "\\" in url[:8]:
        return False
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. a malformed IPv6 host
        return False
    return scheme in SCHEMES if scheme else ":" not in url.split("/", 1)[0]


def _safe_attrs(state: StateCore) -> None:
    """Table alignment as a class (the CSP forbids inline styles)."""
    for token in state.tokens:
        for child in [token, *(token.children or [])]:
            style = child.attrs.get("style") if child.attrs else None
            if child.type in ("th_open", "td_open") and style:
                match = _ALIGN.search(str(style))
                child.attrs = {"class": f"al-{match.group(1)}"} if match else {}


def _shift_headings(shift: int):
    def rule(state: StateCore) -> None:
        for token in state.tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"

    return rule


def _image_as_link(renderer, tokens, idx, options, env):
    token = tokens[idx]
    src = html.escape(str(token.attrs.get("src", "")), quote=True)
    alt = html.escape(renderer.renderInlineAsText(token.children or [], options, env) or "image")
    return f'<a href="{src}">{alt} (image)</a>'


@lru_cache(maxsize=4)
def _parser(shift: int) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
        ["table", "strikethrough"]
    )
    md.validateLink = is_allowed_link
    md.core.ruler.push("safe_attrs", _safe_attrs)
    md.core.ruler.push("shift_headings", _shift_headings(shift))
    md.add_render_rule("image", _image_as_link)
    return md


@lru_cache(maxsize=64)  # a revision's text never changes: pages re-render the same few
def render_markdown(text: str, heading_shift: int = 1) -> Markup:
    """``text`` (Markdown) as sanitised HTML. Headings move down ``heading_shift`` levels so
    that a note's ``#`` fits under the page's own headings."""
    rendered = _parser(max(0, min(heading_shift, 5))).render(text or "")
    return Markup(_cleaner.clean(rendered))  # noqa: S704 (sanitised by the allow-list above)


def excerpt_source(text: str, limit: int = 400) -> tuple[str, bool]:
    """The first blocks of ``text`` (cut at blank lines) up to about ``limit`` characters, and
    whether anything was left out. A single huge first block is cut at ``limit``."""
    text = (text or "").strip()
    if len(text) <= limit:
        return text, False
    taken, size = [], 0
    for block in _BLANK_LINE.split(text):
        if taken and size + len(block) > limit:
            break
        taken.append(block[: limit - size] if size + len(block) > limit else block)
        size += len(block) + 2
    return "\n\n".join(taken), True


def plain_excerpt(text: str, limit: int = 180) -> str:
    """A one-line plain-text summary of Markdown ``text`` (for lists and search results)."""
    source, _ = excerpt_source(text, limit * 3)
    marked = _BLOCK_END.sub(" · ", _parser(0).render(source))  # blocks stay apart
    marked = _ROW_END.sub(r" · </\1></tr>", marked)
    plain = html.unescape(_text_only.clean(marked))
    plain = _SEPARATORS.sub(" · ", _SPACE.sub(" ", plain)).strip(" ·")
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"
