"""The activities as an IATI 2.03 activity file (``iati-activities``), for
``GET /api/v1/activities/iati/`` with the list's filters.

Built with lxml and streamed: ``lxml.etree.xmlfile`` writes each ``iati-activity`` as
soon as it is built, and the rows come in chunks (``iterator(chunk_size=…)``), so the
memory used does not grow with the number of activities and the query count is fixed
per chunk (see ``activities_for_iati``). Elements follow the order of the 2.03 schema
(iati-activities-schema.xsd), which the tests validate the output against.

How our data maps to IATI (each choice is one line below, documented in the README):

- iati-identifier: ``IATI_REPORTING_ORG_REF`` + "-" + the reference (PG-2016-014);
- reporting-org and the "Funding" (1) participating-org: the Pompidou Group,
  type 40 (Multilateral); the lead member state is "Accountable" (2), the
  participating states "Implementing" (4), type 10 (Government), named in English
  and French;
- activity-status from our status: planned 1, ongoing 2, completed 3 (Finalisation)
  or 4 (Closed) once its final progress report (100 % complete) is accepted,
  cancelled 5, suspended 6;
- activity-date: planned start (1) and end (3) always, actual start (2) once it
  runs, actual end (4) once completed;
- recipient-country: the lead and participating states with an ISO 3166-1 code
  (django-countries), in equal shares; without any, recipient-region 89 (Europe,
  regional, OECD DAC);
- sector: DAC 5-digit 16063 (Narcotics control); the thematic priorities as tags of
  the publisher's own vocabulary (99);
- budget: one per annual-programme entry (the calendar year, committed once that
  programme is adopted, else indicative); without entries, the planned budget over
  the activity's dates (indicative);
- result: the expected results (an outcome, type 2) with the activity's indicators
  (baseline, target over the activity's dates, the latest measurement as actual);
  without indicators (the schema wants one per result) the expected results are a
  description of type 2 (objectives).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from lxml import etree

from programme.models import MemberState, ThematicPriority

from .models import Activity, AnnualProgramme, AnnualProgrammeEntry

VERSION = "2.03"
CONTENT_TYPE = "application/xml; charset=utf-8"
CURRENCY = "EUR"
CHUNK_SIZE = 500
# The activities ``GET /api/v1/activities/iati/`` gives a page unless asked otherwise;
# the export gives a longer list through a worker (``export/?fmt=iati``).
PAGE_SIZE = 50
SYNC_MAX_ROWS = 500
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ORGANISATION_TYPE_MULTILATERAL = "40"
ORGANISATION_TYPE_GOVERNMENT = "10"
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
DATE_PLANNED_START, DATE_ACTUAL_START, DATE_PLANNED_END, DATE_ACTUAL_END = "1", "2", "3", "4"
BUDGET_ORIGINAL = "1"
BUDGET_INDICATIVE, BUDGET_COMMITTED = "1", "2"
RESULT_OUTCOME = "2"
DESCRIPTION_GENERAL, DESCRIPTION_OBJECTIVES = "1", "2"
INDICATOR_UNIT = "1"
SECTOR_DAC_5, SECTOR_NARCOTICS_CONTROL = "1", "16063"
REGION_DAC, REGION_EUROPE = "1", "89"
TAG_OWN_VOCABULARY = "99"

S = Activity.Status
STATUS_CODES: dict[str, str] = {
    S.PLANNED: "1",  # Pipeline/identification
    S.ONGOING: "2",  # Implementation
    S.COMPLETED: "3",  # Finalisation; 4 (Closed) once the final report is accepted
    S.CANCELLED: "5",
    S.SUSPENDED: "6",
}
STATUS_CLOSED = "4"

REPORTING_ORG_NAME = _("Pompidou Group, Council of Europe")
RESULTS_TITLE = _("Expected results")


def _related(model, name: str) -> Any:
    """The model behind a relation that an app of a layer above declares on ours.

    The evaluation app owns progress reports and indicators; they are read here
    through the relations it declares on Activity, by name, so this module imports
    nothing from it (tests/portal/test_layers.py)."""
    return model._meta.get_field(name).related_model


def activities_for_iati(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """Per chunk of rows: 1 query for the activities (lead state joined, whether the
    final report is accepted as a subquery), then one per prefetch: participating
    states, priorities, annual-programme entries (with their programme), indicators,
    their measurements: 6 queries whatever the length."""
    progress_report = _related(Activity, "progress_reports")
    indicator = _related(Activity, "indicators")
    measurement = _related(indicator, "measurements")
    # The final report: the one that says the work is 100 % complete, accepted by
    # the Secretariat (evaluation.ProgressReport.Review.ACCEPTED).
    final_report_accepted = progress_report.objects.filter(
        activity=OuterRef("pk"), review="accepted", percent_complete=100
    )
    state_fields = ("id", "code", *_translated("name"))
    return (
        qs.select_related(None)
        .prefetch_related(None)
        .defer(None)
        .select_related("lead_member_state")
        .only(
            "id",
            "reference",
            "title",
            "description",
            "status",
            "start_date",
            "end_date",
            "planned_budget",
            "expected_results",
            "updated_at",
            *(f"lead_member_state__{f}" for f in state_fields),
        )
        # A scalar subquery (the report's id or null) rather than EXISTS, which
        # PostgreSQL may hash by reading every accepted report: a page reads its own
        # rows' reports through the activity's index.
        .annotate(final_report_accepted=Subquery(final_report_accepted.values("pk")[:1]))
        .prefetch_related(
            Prefetch(
                "participating_states",
                queryset=MemberState.objects.only(*state_fields).order_by("code"),
            ),
            Prefetch(
                "thematic_priorities",
                queryset=ThematicPriority.objects.only(
                    "id", "number", *_translated("title")
                ).order_by("number"),
            ),
            Prefetch(
                "annual_entries",
                queryset=AnnualProgrammeEntry.objects.select_related("annual_programme")
                .only(
                    "id",
                    "activity_id",
                    "budget",
                    "annual_programme__year",
                    "annual_programme__status",
                )
                .order_by("annual_programme__year"),
            ),
            Prefetch(
                "indicators",
                queryset=indicator.objects.order_by("name", "id").prefetch_related(
                    Prefetch("measurements", queryset=measurement.objects.order_by("date", "id"))
                ),
            ),
        )
    )


def _translated(field: str) -> list[str]:
    return [f"{field}_{code}" for code, _name in settings.LANGUAGES]


def iati_identifier(activity: Activity) -> str:
    return f"{settings.IATI_REPORTING_ORG_REF}-{activity.reference}"


def status_code(activity: Activity) -> str:
    if activity.status == S.COMPLETED and getattr(activity, "final_report_accepted", False):
        return STATUS_CLOSED
    return STATUS_CODES[activity.status]


# --- writing --------------------------------------------------------------------


def stream(activities: Iterable[Activity], *, now: dt.datetime | None = None) -> Iterator[bytes]:
    """The document, piece by piece: the opening, each activity (as
    ``activities_for_iati`` reads them), the closing."""
    now = now or timezone.now()
    buffer = io.BytesIO()
    with etree.xmlfile(buffer, encoding="utf-8") as xf:
        xf.write_declaration()
        # No xml:lang here: lxml's incremental writer would bind the xml namespace to
        # a prefix of its own; each iati-activity says its language.
        attributes = {"version": VERSION, "generated-datetime": _datetime(now)}
        with xf.element("iati-activities", attributes):
            yield _drain(buffer)
            for activity in activities:
                xf.write(activity_element(activity), pretty_print=True)
                yield _drain(buffer)
    yield _drain(buffer)


def every_row(qs: QuerySet[Activity]) -> Iterator[Activity]:
    """Every activity of ``qs`` in chunks (a fixed number of queries per chunk)."""
    return activities_for_iati(qs).iterator(chunk_size=CHUNK_SIZE)


def document(qs: QuerySet[Activity], *, now: dt.datetime | None = None) -> bytes:
    return b"".join(stream(every_row(qs), now=now))


def write(qs: QuerySet[Activity], out: IO[bytes], progress: Callable[[int], None]) -> int:
    """The whole file of ``qs`` into ``out`` (the export job's builder), calling
    ``progress(activities written)`` every chunk; returns the activities written."""
    written = 0

    def counted() -> Iterator[Activity]:
        nonlocal written
        for activity in every_row(qs):
            written += 1
            if written % CHUNK_SIZE == 0:
                progress(written)
            yield activity

    for piece in stream(counted()):
        out.write(piece)
    return written


def response(
    activities: Iterable[Activity], filters: dict | None = None, headers: dict | None = None
) -> StreamingHttpResponse:
    """The file as an attachment named after its filters (``activities-2016.iati.xml``)."""
    from .exports import export_filename

    return StreamingHttpResponse(
        stream(activities),
        content_type=CONTENT_TYPE,
        headers={
            "Content-Disposition": (
                f'attachment; filename="{export_filename(filters or {}, "iati.xml")}"'
            ),
            **(headers or {}),
        },
    )


def _drain(buffer: io.BytesIO) -> bytes:
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data


def activity_element(activity: Activity) -> etree._Element:
    """One ``iati-activity``, its children in the order of the 2.03 schema."""
    root = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": _datetime(activity.updated_at),
            XML_LANG: settings.LANGUAGE_CODE,
            "default-currency": CURRENCY,
            "hierarchy": "1",
        },
    )
    etree.SubElement(root, "iati-identifier").text = iati_identifier(activity)
    _reporting_org(root, "reporting-org", {"type": ORGANISATION_TYPE_MULTILATERAL})
    _narrative(etree.SubElement(root, "title"), activity.title)
    _descriptions(root, activity)
    _participating_orgs(root, activity)
    etree.SubElement(root, "activity-status", code=status_code(activity))
    _dates(root, activity)
    _recipients(root, activity)
    etree.SubElement(
        root,
        "sector",
        vocabulary=SECTOR_DAC_5,
        code=SECTOR_NARCOTICS_CONTROL,
        percentage="100",
    )
    for priority in activity.thematic_priorities.all():
        tag = etree.SubElement(root, "tag", vocabulary=TAG_OWN_VOCABULARY, code=priority.number)
        _narratives(tag, priority, "title")
    _budgets(root, activity)
    _result(root, activity)
    return root


def _descriptions(root: etree._Element, activity: Activity) -> None:
    if activity.description.strip():
        _narrative(
            etree.SubElement(root, "description", type=DESCRIPTION_GENERAL), activity.description
        )
    if activity.expected_results.strip() and not activity.indicators.all():
        _narrative(
            etree.SubElement(root, "description", type=DESCRIPTION_OBJECTIVES),
            activity.expected_results,
        )


def _reporting_org(parent: etree._Element, name: str, attributes: dict[str, str]):
    org = etree.SubElement(parent, name, {"ref": settings.IATI_REPORTING_ORG_REF, **attributes})
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(REPORTING_ORG_NAME)
    _language_narratives(org, texts)
    return org


def _participating_orgs(root: etree._Element, activity: Activity) -> None:
    _reporting_org(
        root,
        "participating-org",
        {"role": ROLE_FUNDING, "type": ORGANISATION_TYPE_MULTILATERAL},
    )
    lead = activity.lead_member_state
    if lead is not None:
        _state_org(root, lead, ROLE_ACCOUNTABLE)
    for state in activity.participating_states.all():
        if state.pk != getattr(lead, "pk", None):
            _state_org(root, state, ROLE_IMPLEMENTING)


def _state_org(root: etree._Element, state: MemberState, role: str) -> None:
    org = etree.SubElement(root, "participating-org", role=role, type=ORGANISATION_TYPE_GOVERNMENT)
    _narratives(org, state, "name")


def _dates(root: etree._Element, activity: Activity) -> None:
    started = activity.status in (S.ONGOING, S.COMPLETED)
    dates = [(DATE_PLANNED_START, activity.start_date)]
    if started:
        dates.append((DATE_ACTUAL_START, activity.start_date))
    dates.append((DATE_PLANNED_END, activity.end_date))
    if activity.status == S.COMPLETED:
        dates.append((DATE_ACTUAL_END, activity.end_date))
    for kind, day in dates:
        etree.SubElement(root, "activity-date", type=kind, **{"iso-date": day.isoformat()})


def recipient_countries(activity: Activity) -> list[str]:
    """The ISO 3166-1 codes of the lead and participating states, once each, in code
    order; a member state whose code ISO does not assign (none today) is named as a
    participating organisation but is no recipient country."""
    states = [activity.lead_member_state, *activity.participating_states.all()]
    return sorted({s.code for s in states if s is not None and s.code in countries})


def _recipients(root: etree._Element, activity: Activity) -> None:
    codes = recipient_countries(activity)
    if not codes:
        etree.SubElement(
            root, "recipient-region", code=REGION_EUROPE, vocabulary=REGION_DAC, percentage="100"
        )
        return
    for code, share in zip(codes, _shares(len(codes)), strict=True):
        etree.SubElement(root, "recipient-country", code=code, percentage=str(share))


def _shares(count: int) -> list[Decimal]:
    """``count`` percentages of two decimals adding up to exactly 100 (the IATI rule)."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"))
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


def _budgets(root: etree._Element, activity: Activity) -> None:
    entries = list(activity.annual_entries.all())
    if entries:
        for entry in entries:
            year = entry.annual_programme.year
            adopted = entry.annual_programme.status == AnnualProgramme.Status.ADOPTED
            first = max(activity.start_date, dt.date(year, 1, 1))
            last = min(activity.end_date, dt.date(year, 12, 31))
            if last < first:  # an entry outside the activity's dates: the whole year
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            status = BUDGET_COMMITTED if adopted else BUDGET_INDICATIVE
            _budget(root, first, last, entry.budget, status)
    elif activity.planned_budget > 0:
        _budget(
            root, activity.start_date, activity.end_date, activity.planned_budget, BUDGET_INDICATIVE
        )


def _budget(root, first: dt.date, last: dt.date, amount: Decimal, status: str) -> None:
    budget = etree.SubElement(root, "budget", type=BUDGET_ORIGINAL, status=status)
    etree.SubElement(budget, "period-start", {"iso-date": first.isoformat()})
    etree.SubElement(budget, "period-end", {"iso-date": last.isoformat()})
    value = etree.SubElement(
        budget, "value", currency=CURRENCY, **{"value-date": first.isoformat()}
    )
    value.text = f"{amount:.2f}"


def _result(root: etree._Element, activity: Activity) -> None:
    """One outcome with the activity's indicators. The 2.03 schema wants at least one
    indicator in a result: without any, the expected results were written as a
    description of type 2 (objectives) instead (``_description``)."""
    indicators = list(activity.indicators.all())
    if not indicators:
        return
    text = activity.expected_results.strip()
    result = etree.SubElement(root, "result", type=RESULT_OUTCOME, **{"aggregation-status": "0"})
    title = etree.SubElement(result, "title")
    with translation.override(settings.LANGUAGE_CODE):
        _narrative(title, text.splitlines()[0][:500] if text else str(RESULTS_TITLE))
    if text:
        _narrative(etree.SubElement(result, "description"), text)
    for indicator in indicators:
        _indicator(result, activity, indicator)


def _indicator(result: etree._Element, activity: Activity, indicator) -> None:
    element = etree.SubElement(
        result,
        "indicator",
        measure=INDICATOR_UNIT,
        ascending="1" if indicator.direction == "higher" else "0",
    )
    _narrative(etree.SubElement(element, "title"), indicator.name)
    if indicator.unit:
        _narrative(etree.SubElement(element, "description"), indicator.unit)
    etree.SubElement(
        element,
        "baseline",
        year=str(activity.start_date.year),
        value=_number(indicator.baseline),
    )
    period = etree.SubElement(element, "period")
    etree.SubElement(period, "period-start", {"iso-date": activity.start_date.isoformat()})
    etree.SubElement(period, "period-end", {"iso-date": activity.end_date.isoformat()})
    etree.SubElement(period, "target", value=_number(indicator.target))
    measurements = list(indicator.measurements.all())
    if measurements:
        etree.SubElement(period, "actual", value=_number(measurements[-1].value))


# --- narratives -----------------------------------------------------------------


def _narrative(parent: etree._Element, text: str) -> None:
    """A text of ours, stored in one language: the portal's (settings.LANGUAGE_CODE)."""
    narrative = etree.SubElement(parent, "narrative", {XML_LANG: settings.LANGUAGE_CODE})
    narrative.text = _xml_text(text)


def _narratives(parent: etree._Element, obj, field: str) -> None:
    """A translated field: a narrative per language that has its own text."""
    _language_narratives(
        parent, {code: getattr(obj, f"{field}_{code}") or "" for code, _n in settings.LANGUAGES}
    )


def _language_narratives(parent: etree._Element, texts: dict[str, str]) -> None:
    default = settings.LANGUAGE_CODE
    for code, text in texts.items():
        # A missing translation falls back to the default language's text: written
        # once, under its own language, not again as if it were French.
        if code != default and (not text or text == texts[default]):
            continue
        narrative = etree.SubElement(parent, "narrative", {XML_LANG: code})
        narrative.text = _xml_text(text)


def _xml_text(text: str) -> str:
    """XML 1.0 allows no control characters but tab, line feed and carriage return."""
    return "".join(c for c in text if c >= " " or c in "\t\n\r")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")  # 120.50 -> 120.5, 100.00 -> 100


def _datetime(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
