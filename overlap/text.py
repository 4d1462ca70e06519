"""Words to lexemes, in English and French, the way the stored documents hold them.

On PostgreSQL the lexemes come from the search app's ``pompidou_en`` and
``pompidou_fr`` configurations (unaccent, Snowball stemmer, stop words), the ones its
generated ``search_document`` columns are built with, so a proposal's lexemes meet the
activities' in their GIN index. The embedded SQLite default has no such columns: there
the same Snowball stemmers (``snowballstemmer``, what PostgreSQL's ``english_stem`` and
``french_stem`` are generated from) stem each unaccented word in both languages."""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.db import connection

from pompidou.textsearch import CONFIG

WORD = re.compile(r"\w+")
SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
MIN_LENGTH = 3


def words_of(text: str) -> list[str]:
    return WORD.findall(text or "")


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text or "") if s and s.strip()]


def _unaccented(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=2)
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=50_000)
def _python_lexemes(word: str) -> frozenset[str]:
    plain = _unaccented(word)
    # No stop word lists here: the shortest words go, the others weigh by their rarity.
    if len(plain) <= MIN_LENGTH or plain.isdigit():
        return frozenset()
    return frozenset(_stemmer(lang).stemWord(plain) for lang in ("english", "french"))


def usable(lexeme: str) -> bool:
    """A lexeme the retrieval query can carry as it is: letters only, not too short."""
    return len(lexeme) >= MIN_LENGTH and lexeme.isalpha()


def word_lexemes(words: set[str]) -> dict[str, frozenset[str]]:
    """Each word's lexemes in both languages (one query); none for a word either
    language drops as a stop word ("for", "des"): each configuration only knows its own
    language's, and keeps the other's as words."""
    if connection.vendor != "postgresql":
        return {w: _python_lexemes(w) for w in words}
    ordered = sorted(words)
    if not ordered:
        return {}
    columns = ", ".join(
        f"tsvector_to_array(to_tsvector('{name}'::regconfig, t.txt))" for name in CONFIG.values()
    )
    sql = (
        f"SELECT t.txt, {columns}"  # noqa: S608  (configuration names are constants)
        " FROM unnest(%s::text[]) AS t(txt)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [ordered])
        rows = cursor.fetchall()
    return {row[0]: frozenset().union(*row[1:]) if all(row[1:]) else frozenset() for row in rows}


def significant_lexemes(text: str) -> frozenset[str]:
    """The lexemes of ``text``'s words, without either language's stop words: what a
    proposal is compared by."""
    found = word_lexemes(set(words_of(text)))
    return frozenset().union(*found.values()) if found else frozenset()
