"""The matching passage, marked safely: PostgreSQL's ``ts_headline`` (or the SQLite
fallback) wraps each match in two private-use characters, and ``marked()`` escapes
everything else before turning those two into ``<mark>``. No text of a user ever
becomes HTML."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

START = "\ue000"
STOP = "\ue001"
FRAGMENTS = " … "


def marked(text: str) -> SafeString:
    """``text`` escaped, its marked stretches in ``<mark>`` (an unbalanced marker, as a
    user could type one, only ends at the end of the text)."""
    out: list[str] = []
    inside = False
    for part in re.split(f"([{START}{STOP}])", text):
        if part == START:
            if not inside:
                out.append("<mark>")
                inside = True
        elif part == STOP:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(escape(part))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308  (every piece of text was escaped above)


def plain(text: str) -> str:
    """The passage without its markers (the API's ``passage``)."""
    return text.replace(START, "").replace(STOP, "")


def has_mark(text: str) -> bool:
    return START in text


def words_of(q: str) -> list[str]:
    """The words of a query as the SQLite fallback matches them: no quotes, no
    leading minus (PostgreSQL's web search syntax), no empty words."""
    return [w for w in (word.strip("\"'-") for word in q.split()) if w]


def mark_words(text: str, words: list[str], *, width: int | None = None) -> str:
    """The fallback's ``ts_headline``: every occurrence of a word marked; with ``width``,
    a passage of about that many characters around the first match (the text's start
    if nothing matches)."""
    text = plain(text)
    if not words or not text:
        return text[:width] if width else text
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    if width and len(text) > width:
        first = pattern.search(text)
        start = max(0, first.start() - width // 3) if first else 0
        end = min(len(text), start + width)
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", text)
