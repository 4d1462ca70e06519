"""What is searched, kind by kind: who may see what (each app's own visibility rule,
never a copy), the words of each kind (PostgreSQL documents and the SQLite fallback's
columns), and how a found row is shown (its title and its matching passage).

Activities and proposals read the stored ``search_document`` column that migration
``0001_text_search_documents`` adds (with its GIN index); the programme's priorities
and formats and the meetings, a few dozen rows, compute theirs in the query, each
translated text with its language's configuration."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchVector
from django.db.models import Case, F, QuerySet, TextField, Value, When
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import pgettext_lazy

from activities.models import Activity
from activities.selectors import activities_visible_to
from pompidou.textsearch import CONFIG, StoredDocument
from programme.models import Meeting, PermanentFormat, ThematicPriority
from programme.selectors import work_programmes_visible_to
from proposals.models import Proposal
from proposals.selectors import proposals_visible_to

from .highlight import FRAGMENTS, START, STOP, has_mark, mark_words, marked, plain

PASSAGE_WIDTH = 240


@dataclass(frozen=True)
class Result:
    kind: str
    label: str
    title: SafeString
    passage: SafeString
    passage_text: str
    title_text: str
    url: str | None
    reference: str = ""


def _language() -> str:
    return "fr" if (translation.get_language() or "en").startswith("fr") else "en"


def _headline(expression: Any, query: Any, language: str, *, whole: bool) -> SearchHeadline:
    if whole:
        return SearchHeadline(
            expression,
            query,
            config=CONFIG[language],
            start_sel=START,
            stop_sel=STOP,
            highlight_all=True,
        )
    return SearchHeadline(
        expression,
        query,
        config=CONFIG[language],
        start_sel=START,
        stop_sel=STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=FRAGMENTS,
    )


def _joined(*fields: str) -> Any:
    if len(fields) == 1:
        return F(fields[0])
    parts: list[Any] = []
    for field in fields:
        parts += [F(field), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


def _vector(*parts: tuple[str, str, str]) -> Any:
    """Each (column, weight, language) stemmed with that language's configuration."""
    vectors = [
        SearchVector(column, weight=weight, config=CONFIG[lang]) for column, weight, lang in parts
    ]
    combined: Any = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


@dataclass(frozen=True)
class Source:
    kind: str
    label: Any
    visible: Callable[[Any], QuerySet[Any]]
    document: Callable[[], Any]
    fields: tuple[str, ...]
    show: Callable[[list[Any], Any, list[str]], dict[int, Result]]


# --- each kind: how a page of found rows is shown ---------------------------------------


def _show_authored(
    model: type[Any],
    kind: str,
    label: Any,
    body: tuple[str, ...],
    url: Callable[[Any], str],
) -> Callable[[list[Any], Any, list[str]], dict[int, Result]]:
    """Activities and proposals: the title and a passage of the body, in the page's
    language's configuration (their authors write in either language)."""

    def show(pks: list[Any], query: Any, words: list[str]) -> dict[int, Result]:
        qs = model._default_manager.filter(pk__in=pks).only("pk", "reference", "title", *body)
        if query is not None:
            language = _language()
            qs = qs.annotate(
                title_mark=_headline(F("title"), query, language, whole=True),
                passage_mark=_headline(_joined(*body), query, language, whole=False),
            )
        found = {}
        for obj in qs:
            if query is None:
                title = mark_words(obj.title, words)
                text = " ".join(getattr(obj, field) for field in body if getattr(obj, field))
                passage = mark_words(text, words, width=PASSAGE_WIDTH)
            else:
                title, passage = obj.title_mark, obj.passage_mark.strip()
            found[obj.pk] = Result(
                kind=kind,
                label=str(label),
                title=marked(title),
                passage=marked(passage),
                passage_text=plain(passage),
                title_text=obj.title,
                url=url(obj),
                reference=obj.reference or "",
            )
        return found

    return show


def _show_translated(
    model: type[Any],
    kind: str,
    label: Any,
    title: str,
    body: tuple[str, ...],
    url_name: str,
) -> Callable[[list[Any], Any, list[str]], dict[int, Result]]:
    """Priorities and formats: the page's language's texts, or the other language's
    where only they hold the match ("drogues" on an English page shows the French
    title that matched)."""

    def show(pks: list[Any], query: Any, words: list[str]) -> dict[int, Result]:
        page = _language()
        languages = [page, *(code for code in CONFIG if code != page)]
        qs = model._default_manager.filter(pk__in=pks)
        if query is not None:
            for code in languages:
                qs = qs.annotate(
                    **{
                        f"title_mark_{code}": _headline(
                            F(f"{title}_{code}"), query, code, whole=True
                        ),
                        f"passage_mark_{code}": _headline(
                            _joined(*(f"{field}_{code}" for field in body)),
                            query,
                            code,
                            whole=False,
                        ),
                    }
                )
        found = {}
        for obj in qs:
            candidates = []
            for code in languages:
                plain_title = getattr(obj, f"{title}_{code}") or ""
                if not plain_title:
                    continue
                if query is None:
                    text = " ".join(getattr(obj, f"{f}_{code}") or "" for f in body)
                    marks = (
                        mark_words(plain_title, words),
                        mark_words(text, words, width=PASSAGE_WIDTH),
                    )
                else:
                    marks = (
                        getattr(obj, f"title_mark_{code}"),
                        getattr(obj, f"passage_mark_{code}"),
                    )
                candidates.append(marks)
            matching = [c for c in candidates if has_mark(c[0]) or has_mark(c[1])]
            head, passage = (matching or candidates or [("", "")])[0]
            passage = passage.strip()
            found[obj.pk] = Result(
                kind=kind,
                label=str(label),
                title=marked(f"{obj.number} {head}"),
                passage=marked(passage),
                passage_text=plain(passage),
                title_text=f"{obj.number} {plain(head)}",
                url=reverse(url_name, args=[obj.pk]),
            )
        return found

    return show


def _show_meetings(pks: list[Any], query: Any, words: list[str]) -> dict[int, Result]:
    found = {}
    for meeting in Meeting.objects.filter(pk__in=pks):
        text = str(meeting)
        found[meeting.pk] = Result(
            kind="meeting",
            label=str(MEETING),
            title=marked(mark_words(text, words)),
            passage=marked(""),
            passage_text="",
            title_text=text,
            url=reverse("meetings:detail", args=[meeting.pk]),
        )
    return found


# --- each kind: its words -----------------------------------------------------------------


def _meeting_document() -> Any:
    """The place, and the kind's name in both languages ("plenary", « plénière »)."""
    names = []
    for kind in Meeting.Kind:
        words = []
        for code in CONFIG:
            with translation.override(code):
                words.append(str(kind.label))
        names.append(When(kind=kind.value, then=Value(" ".join(words))))
    kind_words = Case(*names, default=Value(""))
    return (
        SearchVector("place", weight="A", config=CONFIG["en"])
        + SearchVector("place", weight="A", config=CONFIG["fr"])
        + SearchVector(kind_words, weight="B", config=CONFIG["en"])
        + SearchVector(kind_words, weight="B", config=CONFIG["fr"])
    )


def _priorities(user: Any) -> QuerySet[ThematicPriority]:
    return ThematicPriority.objects.filter(work_programme__in=work_programmes_visible_to(user))


def _formats(user: Any) -> QuerySet[PermanentFormat]:
    return PermanentFormat.objects.filter(work_programme__in=work_programmes_visible_to(user))


ACTIVITY = pgettext_lazy("a kind of search result", "Activity")
PROPOSAL = pgettext_lazy("a kind of search result", "Proposal")
MEETING = pgettext_lazy("a kind of search result", "Meeting")
PRIORITY = pgettext_lazy("a kind of search result", "Thematic priority")
FORMAT = pgettext_lazy("a kind of search result", "Format")

SOURCES: tuple[Source, ...] = (
    Source(
        kind="priority",
        label=PRIORITY,
        visible=_priorities,
        document=lambda: _vector(
            ("title_en", "A", "en"),
            ("title_fr", "A", "fr"),
            ("rationale_en", "B", "en"),
            ("rationale_fr", "B", "fr"),
        ),
        fields=("title_en", "title_fr", "rationale_en", "rationale_fr"),
        show=_show_translated(
            ThematicPriority, "priority", PRIORITY, "title", ("rationale",), "programme:priority"
        ),
    ),
    Source(
        kind="format",
        label=FORMAT,
        visible=_formats,
        document=lambda: _vector(
            ("name_en", "A", "en"),
            ("name_fr", "A", "fr"),
            ("beneficiaries_en", "B", "en"),
            ("beneficiaries_fr", "B", "fr"),
            ("expected_results_intro_en", "C", "en"),
            ("expected_results_intro_fr", "C", "fr"),
        ),
        fields=(
            "name_en",
            "name_fr",
            "beneficiaries_en",
            "beneficiaries_fr",
            "expected_results_intro_en",
            "expected_results_intro_fr",
        ),
        show=_show_translated(
            PermanentFormat,
            "format",
            FORMAT,
            "name",
            ("beneficiaries", "expected_results_intro"),
            "programme:format",
        ),
    ),
    Source(
        kind="activity",
        label=ACTIVITY,
        visible=activities_visible_to,
        document=StoredDocument,
        fields=("reference", "title", "description", "expected_results", "terms_of_reference"),
        show=_show_authored(
            Activity,
            "activity",
            ACTIVITY,
            ("description", "expected_results", "terms_of_reference"),
            lambda a: reverse("activities:detail", args=[a.reference]),
        ),
    ),
    Source(
        kind="proposal",
        label=PROPOSAL,
        visible=proposals_visible_to,
        document=StoredDocument,
        fields=("reference", "title", "scope", "purpose", "expected_outcome"),
        show=_show_authored(
            Proposal,
            "proposal",
            PROPOSAL,
            ("scope", "purpose", "expected_outcome"),
            lambda p: reverse("proposals:detail", args=[p.pk]),
        ),
    ),
    Source(
        kind="meeting",
        label=MEETING,
        visible=lambda user: Meeting.objects.all(),
        document=_meeting_document,
        fields=("place",),
        show=_show_meetings,
    ),
)
BY_KIND = {source.kind: source for source in SOURCES}
KIND_CHOICES = [(source.kind, source.label) for source in SOURCES]
