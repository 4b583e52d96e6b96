"""The body's formatting: a strict little markup, parsed once into a small tree and
rendered in each platform's own style.

The markup the composer's toolbar writes (and an editor may type):

- ``**bold**`` and ``__italic__``: a pair on one line, with text inside that neither
  starts nor ends with a space; they may hold each other and links;
- ``[text](https://…)``: a link, http or https only (anything else stays as typed);
- a line starting with ``> ``: a quote (consecutive quote lines are one quote);
- a blank line between paragraphs, a single newline a line break.

Anything else is text, kept exactly as typed: a lone ``**``, an unclosed ``[``, a link to
``javascript:``. A bare web address is text too, and markers inside it (``a__b__c`` in a
URL) are not read as formatting.

Styles (each platform module's descriptor names its own, `Platform.formatting`):

- ``telegram_html``: Telegram's parse_mode=HTML: <b>, <i>, <a href>, <blockquote>; every
  ``<``, ``>`` and ``&`` of the text escaped, and ``"`` too inside href. Telegram counts a
  text's length after parsing the entities, so the counted text is the visible one;
- ``bale_markdown``: Bale reads Markdown in every text (``*bold*``, ``_italic_``,
  ``[text](url)``, no parse_mode); quotes go as plain text in «». Counted raw (the safe
  reading: it can only over-count);
- ``rubika_metadata``: the visible text plus ``metadata.meta_data_parts`` (Bold, Italic,
  Link, Quote at UTF-16 offsets);
- ``plain``: markers removed, a link as "text (url)", a quote in «»;
- ``site_html``: <p>, <br>, <strong>, <em>, <a>, <blockquote> for the site's own pages.

Pure Python; the outbox, the composer's preview and the limits all go through
`channel_message` and `render`, so what the editor previews is what is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from html import escape

TELEGRAM_HTML = "telegram_html"
BALE_MARKDOWN = "bale_markdown"
RUBIKA_METADATA = "rubika_metadata"
PLAIN = "plain"
SITE_HTML = "site_html"
STYLES = (TELEGRAM_HTML, BALE_MARKDOWN, RUBIKA_METADATA, PLAIN, SITE_HTML)

ELLIPSIS = "…"


# -- the tree ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Span:
    kind: str  # "bold" | "italic" | "link"
    children: tuple[Inline, ...]
    url: str = ""


Inline = Text | Span
Line = tuple[Inline, ...]


@dataclass(frozen=True)
class Block:
    kind: str  # "para" | "quote"
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Doc:
    blocks: tuple[Block, ...] = ()

    def __add__(self, other: Doc) -> Doc:
        return Doc(self.blocks + other.blocks)

    @property
    def empty(self) -> bool:
        return not self.blocks


def text_doc(text: str) -> Doc:
    """Plain text (a title, a lead, a URL) as a document: no markup is read in it."""
    blocks = []
    for paragraph in _paragraphs(text):
        blocks.append(Block("para", tuple((Text(line),) for line in paragraph)))
    return Doc(tuple(blocks))


# -- parsing -----------------------------------------------------------------------------

_LINK = re.compile(r"\[([^\[\]\n]+)\]\((https?://[^\s()<>\"]+)\)")
_BARE_URL = re.compile(r"https?://[^\s<>\"]+")
_MARKERS = (("**", "bold"), ("__", "italic"))
_QUOTE = re.compile(r">(?: |$)")


def _paragraphs(text: str) -> list[list[str]]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for paragraph in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        if lines:
            out.append(lines)
    return out


def parse(markup: str) -> Doc:
    """The markup as a tree: paragraphs and quotes, each of lines of inline runs."""
    blocks: list[Block] = []
    for paragraph in _paragraphs(markup):
        kind, run = "", []
        for line in paragraph:
            quoted = _QUOTE.match(line)
            line_kind = "quote" if quoted else "para"
            content = line[quoted.end() :].strip() if quoted else line
            if line_kind != kind and run:
                blocks.append(Block(kind, tuple(run)))
                run = []
            kind = line_kind
            if content:
                run.append(parse_inline(content))
        if run:
            blocks.append(Block(kind, tuple(run)))
    return Doc(tuple(blocks))


def parse_inline(text: str, *, links: bool = True) -> Line:
    out: list[Inline] = []
    plain: list[str] = []

    def flush() -> None:
        if plain:
            out.append(Text("".join(plain)))
            plain.clear()

    i = 0
    while i < len(text):
        if links and text.startswith("[", i):
            match = _LINK.match(text, i)
            if match:
                flush()
                out.append(Span("link", parse_inline(match.group(1), links=False), match.group(2)))
                i = match.end()
                continue
        if text.startswith("http", i) and (i == 0 or not text[i - 1].isalnum()):
            match = _BARE_URL.match(text, i)
            if match:  # a bare address stays text, markers in it included
                plain.append(match.group(0))
                i = match.end()
                continue
        span = _emphasis(text, i, links)
        if span is not None:
            node, i = span
            flush()
            out.append(node)
            continue
        plain.append(text[i])
        i += 1
    flush()
    return tuple(out)


def _emphasis(text: str, i: int, links: bool) -> tuple[Span, int] | None:
    for marker, kind in _MARKERS:
        if not text.startswith(marker, i):
            continue
        end = text.find(marker, i + len(marker))
        inner = text[i + len(marker) : end] if end != -1 else ""
        if inner and inner == inner.strip() and marker[0] not in (inner[0], inner[-1]):
            return Span(kind, parse_inline(inner, links=links)), end + len(marker)
    return None


# -- rendering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendering:
    """A document as one platform takes it."""

    style: str
    text: str  # what is sent
    counted: str  # what the platform counts against its limits
    parse_mode: str = ""  # "HTML" on Telegram
    entities: tuple[dict, ...] = ()  # Rubika's meta_data_parts
    doc: Doc = field(default_factory=Doc)  # the (possibly cut) document rendered


def _inline_text(nodes: Line) -> str:
    return "".join(n.text if isinstance(n, Text) else _inline_text(n.children) for n in nodes)


def _telegram(nodes: Line) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(escape(node.text, quote=False))
        elif node.kind == "link":
            out.append(f'<a href="{escape(node.url, quote=True)}">{_telegram(node.children)}</a>')
        else:
            tag = "b" if node.kind == "bold" else "i"
            out.append(f"<{tag}>{_telegram(node.children)}</{tag}>")
    return "".join(out)


def _site(nodes: Line) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(escape(node.text, quote=False))
        elif node.kind == "link":
            out.append(f'<a href="{escape(node.url, quote=True)}">{_site(node.children)}</a>')
        else:
            tag = "strong" if node.kind == "bold" else "em"
            out.append(f"<{tag}>{_site(node.children)}</{tag}>")
    return "".join(out)


def _bale(nodes: Line) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif node.kind == "link":
            out.append(f"[{_inline_text(node.children)}]({node.url})")
        else:
            mark = "*" if node.kind == "bold" else "_"
            out.append(f"{mark}{_bale(node.children)}{mark}")
    return "".join(out)


def _plain(nodes: Line) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif node.kind == "link":
            label = _inline_text(node.children)
            out.append(label if label == node.url else f"{label} ({node.url})")
        else:
            out.append(_plain(node.children))
    return "".join(out)


def _joined(doc: Doc, line: Callable[[Line], str], quote: Callable[[str], str]) -> str:
    blocks = []
    for block in doc.blocks:
        body = "\n".join(line(item) for item in block.lines)
        blocks.append(quote(body) if block.kind == "quote" else body)
    return "\n\n".join(blocks)


def _guillemets(text: str) -> str:
    return f"«{text}»"


_RUBIKA_KINDS = {"bold": "Bold", "italic": "Italic", "link": "Link"}


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _rubika(doc: Doc) -> tuple[str, tuple[dict, ...]]:
    """The visible text and its metadata parts, offsets in UTF-16 code units."""
    pieces: list[str] = []
    parts: list[dict] = []
    at = 0

    def put(text: str) -> None:
        nonlocal at
        pieces.append(text)
        at += _utf16(text)

    def walk(nodes: Line) -> None:
        for node in nodes:
            if isinstance(node, Text):
                put(node.text)
                continue
            start = at
            walk(node.children)
            if at > start:
                part = {"type": _RUBIKA_KINDS[node.kind], "from_index": start, "length": at - start}
                if node.kind == "link":
                    part["link_url"] = node.url
                parts.append(part)

    for b, block in enumerate(doc.blocks):
        if b:
            put("\n\n")
        start = at
        for n, line in enumerate(block.lines):
            if n:
                put("\n")
            walk(line)
        if block.kind == "quote" and at > start:
            parts.append({"type": "Quote", "from_index": start, "length": at - start})
    parts.sort(key=lambda p: (p["from_index"], -p["length"]))
    return "".join(pieces), tuple(parts)


def render(doc: Doc, style: str) -> Rendering:
    if style == TELEGRAM_HTML:
        text = _joined(doc, _telegram, lambda body: f"<blockquote>{body}</blockquote>")
        visible = _joined(doc, _inline_text, lambda body: body)
        return Rendering(style, text, visible, parse_mode="HTML", doc=doc)
    if style == BALE_MARKDOWN:
        text = _joined(doc, _bale, _guillemets)
        return Rendering(style, text, text, doc=doc)
    if style == RUBIKA_METADATA:
        text, parts = _rubika(doc)
        return Rendering(style, text, text, entities=parts, doc=doc)
    if style == SITE_HTML:
        html = []
        for block in doc.blocks:
            paragraph = "<p>" + "<br>".join(_site(line) for line in block.lines) + "</p>"
            html.append(
                f"<blockquote>{paragraph}</blockquote>" if block.kind == "quote" else paragraph
            )
        return Rendering(style, "".join(html), _joined(doc, _inline_text, lambda b: b), doc=doc)
    if style == PLAIN:
        text = _joined(doc, _plain, _guillemets)
        return Rendering(style, text, text, doc=doc)
    raise ValueError(f"unknown formatting style {style!r}")


def site_html(markup: str) -> str:
    """The markup as the site's own safe HTML (the stored body)."""
    return render(parse(markup), SITE_HTML).text


def display_html(rendering: Rendering) -> str:
    """How the platform will show the rendering, as safe HTML for a preview: the
    formatting the platform keeps, and the plain text where it keeps none."""
    if rendering.style in (TELEGRAM_HTML, RUBIKA_METADATA, SITE_HTML):
        return render(rendering.doc, SITE_HTML).text
    if rendering.style == BALE_MARKDOWN:  # bold, italic and links; quotes as text in «»
        html = []
        for block in rendering.doc.blocks:
            lines = "<br>".join(_site(line) for line in block.lines)
            html.append("<p>" + (f"«{lines}»" if block.kind == "quote" else lines) + "</p>")
        return "".join(html)
    paragraphs = rendering.text.split("\n\n")
    return "".join(
        "<p>" + "<br>".join(escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs
    )


# -- cutting to a limit -------------------------------------------------------------------


def _visible_size(doc: Doc) -> int:
    return sum(len(_inline_text(line)) for block in doc.blocks for line in block.lines)


def truncate(doc: Doc, keep: int) -> Doc:
    """The first `keep` characters of the document's visible text, ending in "…"; its
    formatting kept (a link cut short still links)."""
    budget = keep
    done = False

    def cut(nodes: Line) -> Line:
        nonlocal budget, done
        out: list[Inline] = []
        for node in nodes:
            if done:
                break
            if isinstance(node, Text):
                if len(node.text) <= budget:
                    budget -= len(node.text)
                    out.append(node)
                else:
                    out.append(Text(node.text[:budget].rstrip() + ELLIPSIS))
                    budget, done = 0, True
            else:
                children = cut(node.children)
                if children:
                    out.append(replace(node, children=children))
        return tuple(out)

    blocks: list[Block] = []
    for block in doc.blocks:
        if done:
            break
        lines = []
        for line in block.lines:
            if done:
                break
            kept = cut(line)
            if kept:
                lines.append(kept)
        if lines:
            blocks.append(Block(block.kind, tuple(lines)))
    if not done and blocks and keep < _visible_size(doc):
        # The cut fell between lines: the last kept line ends the text.
        last = blocks[-1]
        lines = list(last.lines)
        lines[-1] = (*lines[-1], Text(ELLIPSIS))
        blocks[-1] = Block(last.kind, tuple(lines))
    return Doc(tuple(blocks))


def fit(
    body: Doc,
    style: str,
    *,
    length: Callable[[str], int],
    limit: int,
    head: Doc | None = None,
    tail: Doc | None = None,
) -> Rendering:
    """`head`, `body` and `tail` rendered in `style`, the body cut (never the head or the
    tail) so that the whole counts at most `limit` as the platform counts."""
    head, tail = head or Doc(), tail or Doc()
    whole = render(head + body + tail, style)
    if length(whole.counted) <= limit:
        return whole
    low, high = 0, _visible_size(body)
    best = render(head + tail, style)
    while low <= high:
        middle = (low + high) // 2
        attempt = render(head + truncate(body, middle) + tail, style)
        if length(attempt.counted) <= limit:
            best, low = attempt, middle + 1
        else:
            high = middle - 1
    return best


def channel_message(
    style: str,
    *,
    length: Callable[[str], int],
    limit: int,
    title: str = "",
    lead: str = "",
    body: str = "",
    variant: str = "",
    link: str = "",
) -> Rendering:
    """What a channel gets, the one place it is made: the channel's own text when the
    editor wrote one (its markup read, cut only if it must be), else the title, the lead
    (plain) or the body (its markup read), and the link to the post on the site."""
    if variant.strip():
        return fit(parse(variant), style, length=length, limit=limit)
    content = text_doc(lead) if lead.strip() else parse(body)
    return fit(
        content, style, length=length, limit=limit, head=text_doc(title), tail=text_doc(link)
    )
