"""A post's history as people read it: the version a reviewer's edit is made against
(so an edit never overwrites a change it did not see), and a word diff of what an edit
changed."""

import difflib
import hashlib
import json
import re
from dataclasses import dataclass

from .models import Post

# The fields a reviewer may touch before approving.
REVIEW_FIELDS = ("title", "lead", "body", "tags")
_WORDS = re.compile(r"\s+|[^\s]+")
# Words of an unchanged stretch kept on each side of a change; the rest is elided.
CONTEXT_WORDS = 8


def post_version(post: Post) -> str:
    """A short token that changes whenever the post's text or its review state does:
    the author resubmitting, another reviewer's edit, any save of the text."""
    stamp = [
        *(getattr(post, name) for name in REVIEW_FIELDS),
        post.status,
        post.updated_at.isoformat() if post.updated_at else "",
        post.submitted_at.isoformat() if post.submitted_at else "",
    ]
    raw = json.dumps(stamp, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(raw).hexdigest()[:20]


@dataclass(frozen=True)
class Piece:
    kind: str  # "same", "removed", "added" or "elided"
    text: str


def word_diff(before: str, after: str) -> list[Piece]:
    """What changed from `before` to `after`, word by word (difflib), long unchanged
    stretches shortened to their ends."""
    old, new = _WORDS.findall(before or ""), _WORDS.findall(after or "")
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.extend(_same(old[a1:a2], first=a1 == 0, last=a2 == len(old)))
            continue
        if op in ("replace", "delete"):
            pieces.append(Piece("removed", "".join(old[a1:a2])))
        if op in ("replace", "insert"):
            pieces.append(Piece("added", "".join(new[b1:b2])))
    return pieces


def _same(tokens: list[str], *, first: bool, last: bool) -> list[Piece]:
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    keep_head = 0 if first else CONTEXT_WORDS
    keep_tail = 0 if last else CONTEXT_WORDS
    if len(words) <= keep_head + keep_tail + 2:
        return [Piece("same", "".join(tokens))]
    head_end = words[keep_head - 1] + 1 if keep_head else 0
    tail_start = words[-keep_tail] if keep_tail else len(tokens)
    pieces = []
    if head_end:
        pieces.append(Piece("same", "".join(tokens[:head_end])))
    pieces.append(Piece("elided", " … "))
    if tail_start < len(tokens):
        pieces.append(Piece("same", "".join(tokens[tail_start:])))
    return pieces
