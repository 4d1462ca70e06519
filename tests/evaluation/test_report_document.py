"""The compiled evaluation report as a Secretariat circulates it: the written summary of
a known record in English and in French, the charts read on paper, and both languages'
PDF and Word files."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import formats, translation

from evaluation import documents, report_charts, services
from evaluation.models import FeedbackResponse
from tests.activities.factories import ActivityFactory

from .factories import (
    FeedbackRequestFactory,
    IndicatorFactory,
    MeasurementFactory,
    ProgressReportFactory,
)


def _response(activity, comments="", **ratings):
    request = FeedbackRequestFactory(activity=activity)
    return FeedbackResponse.objects.create(request=request, comments=comments, **ratings)


@pytest.fixture
def record(programme, states, secretariat):
    """Three activities of 2016 and one of 2018 (outside the period):

    - A "Prison health training" (3.1, completed): €60,000 of €100,000; reports
      2016-H1 on track, 2016-H2 at risk; an indicator met; two responses, one critical.
    - B "Darknet markets training" (3.4, ongoing, 2016–2017): €65,000 of €50,000;
      2016-H1 off track, 2017-H1 on track; its indicator short of target in 2016, met
      in 2017; one critical response.
    - C "Prevention prize" (3.2, planned): no budget, no report, an indicator never
      measured.
    """
    # Seen while the programme runs: its late reports are overdue, not history.
    type(programme).objects.filter(pk=programme.pk).update(last_year=dt.date.today().year)
    made = {}
    for key, title, number, status, end, planned, spent in (
        ("A", "Prison health training", "3.1", "completed", 2016, 100000, 60000),
        ("B", "Darknet markets training", "3.4", "ongoing", 2017, 50000, 65000),
        ("C", "Prevention prize", "3.2", "planned", 2016, 0, 0),
        ("D", "Later activity", "3.1", "planned", 2018, 7000, 0),
    ):
        a = ActivityFactory(
            work_programme=programme,
            title=title,
            lead_member_state=states["FR"],
            status=status,
            start_date=dt.date(2018 if key == "D" else 2016, 1, 1),
            end_date=dt.date(end, 12, 31),
            planned_budget=Decimal(planned),
            spent=Decimal(spent),
        )
        a.thematic_priorities.add(programme.priorities.get(number=number))
        made[key] = a
    a, b, c = made["A"], made["B"], made["C"]
    by = secretariat
    ProgressReportFactory(activity=a, period="2016-H1", status="on_track", submitted_by=by)
    ProgressReportFactory(activity=a, period="2016-H2", status="at_risk", submitted_by=by)
    ProgressReportFactory(activity=b, period="2016-H1", status="off_track", submitted_by=by)
    ProgressReportFactory(activity=b, period="2017-H1", status="on_track", submitted_by=by)
    MeasurementFactory(indicator=IndicatorFactory(activity=a), value=120)
    sites = IndicatorFactory(activity=b, target=10)
    MeasurementFactory(indicator=sites, date=dt.date(2016, 5, 1), value=4)
    MeasurementFactory(indicator=sites, date=dt.date(2017, 3, 1), value=12)
    IndicatorFactory(activity=c)
    _response(
        a, "Too theoretical for practitioners.", relevance=5, quality=4, usefulness=2, impact=4
    )
    _response(a, relevance=4, quality=4, usefulness=3, impact=3)
    _response(
        b, "Sessions cancelled at short notice.", relevance=3, quality=2, usefulness=2, impact=2
    )
    return made


def _report(programme, secretariat, **kwargs):
    report, _created = services.evaluation_report_compile(
        actor=secretariat,
        work_programme=programme,
        **{"first_year": 2016, "last_year": 2016, **kwargs},
    )
    return report


def _summary(report, language):
    with translation.override(language):
        return documents.gather(report).summary


def _day(value, language):
    with translation.override(language):
        return formats.date_format(value, "DATE_FORMAT")


def _thousands(language):
    with translation.override(language):
        return formats.get_format("THOUSAND_SEPARATOR")


def test_the_summary_of_2016_reads_its_figures_in_english(record, programme, secretariat):
    ref = {k: a.reference for k, a in record.items()}
    assert _summary(_report(programme, secretariat), "en") == [
        "This report covers the whole work programme from 1 January 2016 to 31 December "
        "2016. 3 activities ran in the period: 1 planned, 1 ongoing and 1 completed.",
        # B's 2017 report is after the period: 2016 ends with B off track.
        "According to the latest progress report of each activity in the period, 0 "
        "activities are on track, 1 is at risk, 1 is off track and 1 has no report for "
        "the period.",
        "Spending to date stands at €125,000 of the €150,000 planned (83.3%). Spending "
        "exceeds the planned budget under priority 3.4.",
        "2 indicators have been measured, of which 1 has met its target. 3 progress "
        "reports are overdue (listed in section 7).",
        "3 responses were received to the feedback requests; on a scale of 1 to 5, they "
        "give on average 4.0 for relevance, 3.3 for quality, 2.3 for usefulness and 3.0 "
        "for likely impact. Rated highest: relevance; rated lowest: usefulness. 2 "
        "responses pair a comment with a rating of 2 or less: "
        f"{ref['A']} Prison health training (1) and {ref['B']} Darknet markets training (1).",
    ]


def test_a_single_priority_over_two_years_takes_the_singular_and_the_later_reports(
    record, programme, secretariat
):
    report = _report(
        programme,
        secretariat,
        last_year=2017,
        scope="priority",
        priority=programme.priorities.get(number="3.4"),
    )
    ref = record["B"].reference
    title = programme.priorities.get(number="3.4").title
    assert _summary(report, "en") == [
        f"This report covers thematic priority 3.4 {title} from 1 January 2016 to 31 "
        "December 2017. 1 activity ran in the period: 1 ongoing.",
        "According to the latest progress report of each activity in the period, 1 "
        "activity is on track, 0 are at risk and 0 are off track.",
        "Spending to date stands at €65,000 of the €50,000 planned (130.0%). Spending "
        "exceeds the planned budget under priority 3.4.",
        # 2016-H2 has no report; 2017-H2 is due as well.
        "1 indicator has been measured, of which 1 has met its target. 2 progress reports "
        "are overdue (listed in section 7).",
        "1 response was received to the feedback requests; on a scale of 1 to 5, it gives "
        "3.0 for relevance, 2.0 for quality, 2.0 for usefulness and 2.0 for likely impact. "
        "Rated highest: relevance; rated lowest: quality, usefulness and likely impact. 1 "
        f"response pairs a comment with a rating of 2 or less: {ref} Darknet markets "
        "training.",
    ]


def test_the_summary_of_2016_in_french(record, programme, secretariat):
    ref = {k: a.reference for k, a in record.items()}
    sep, nb = _thousands("fr"), "\u00a0"
    assert sep in ("\u00a0", "\u202f")
    start, end = _day(dt.date(2016, 1, 1), "fr"), _day(dt.date(2016, 12, 31), "fr")
    assert _summary(_report(programme, secretariat), "fr") == [
        f"Le présent rapport porte sur l'ensemble du programme de travail du {start} au "
        f"{end}. 3 activités se sont déroulées sur la période{nb}: 1 prévue, 1 en cours et "
        "1 achevée.",
        # French takes the singular for 0 and 1.
        "D'après le dernier rapport d'avancement de chaque activité sur la période, 0 "
        "activité est conforme aux prévisions, 1 est à risque, 1 est hors trajectoire et 1 "
        "n'a pas de rapport pour la période.",
        f"Les dépenses s'élèvent à ce jour à 125{sep}000{nb}€ sur les 150{sep}000{nb}€ "
        f"prévus (83,3{nb}%). Les dépenses dépassent le budget prévu pour la priorité 3.4.",
        "2 indicateurs ont été mesurés, dont 1 a atteint sa cible. 3 rapports d'avancement "
        "sont en retard (voir la section 7).",
        "3 réponses ont été reçues aux demandes de retour d'information"
        f"{nb}; sur une échelle de 1 à 5, elles donnent en moyenne 4,0 pour la pertinence, "
        "3,3 pour la qualité, 2,3 pour l'utilité et 3,0 pour l'impact probable. Le mieux "
        f"noté{nb}: pertinence{nb}; le moins bien noté{nb}: utilité. 2 réponses associent "
        f"un commentaire à une note de 2 ou moins{nb}: {ref['A']} Prison health training "
        f"(1) et {ref['B']} Darknet markets training (1).",
    ]


def test_a_period_without_activities_says_so(record, programme, secretariat):
    report = _report(programme, secretariat, first_year=2015, last_year=2015)
    assert _summary(report, "en") == [
        "This report covers the whole work programme from 1 January 2015 to 31 December "
        "2015. No activity ran in this period."
    ]


# --- charts -------------------------------------------------------------------------


def _texts(fig):
    fig.canvas.draw()
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    return {
        "x": [t.get_text() for t in ax.get_xticklabels()],
        # The ticks drawn: the locator may return one beyond the axis.
        "y": [t.get_text() for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high],
        "offset": ax.yaxis.get_offset_text().get_text(),
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "legend": [t.get_text() for t in ax.get_legend().get_texts()],
    }


def test_the_budget_chart_reads_thousands_of_euros_without_scientific_notation():
    rows = [
        {"number": "3.1", "planned": Decimal("2500000"), "spent": Decimal("1250000")},
        {"number": "3.4", "planned": Decimal("800000"), "spent": Decimal("950000")},
    ]
    with translation.override("en"):
        en = _texts(report_charts.budget_figure(rows))
    with translation.override("fr"):
        fr = _texts(report_charts.budget_figure(rows))
        sep = formats.get_format("THOUSAND_SEPARATOR")
    for texts in (en, fr):
        assert texts["offset"] == ""
        assert not any("e" in t.lower() for t in texts["y"]), texts["y"]
        assert texts["x"] == ["3.1", "3.4"]
    # 2,500 k€ at the top: the ticks run in thousands, grouped as each language groups.
    assert "2,500" in en["y"] and f"2{sep}500" in fr["y"]
    assert en["ylabel"] == "Thousands of euros (k€)" and fr["ylabel"] == "Milliers d'euros (k€)"
    assert en["legend"] == ["Planned budget", "Spent to date"]
    assert fr["legend"] == ["Budget prévu", "Dépensé à ce jour"]
    assert fr["title"] == "Budget prévu et dépensé à ce jour par priorité thématique (k€)"


def test_small_budgets_tick_with_the_decimal_comma_in_french():
    rows = [{"number": "3.1", "planned": Decimal("2500"), "spent": Decimal("1500")}]
    with translation.override("fr"):
        texts = _texts(report_charts.budget_figure(rows))
    assert any("," in t for t in texts["y"]), texts["y"]
    assert not any("." in t for t in texts["y"]), texts["y"]


def test_the_rag_chart_has_red_amber_green_with_hatches_a_legend_and_counts():
    from matplotlib.colors import to_hex

    with translation.override("fr"):
        fig = report_charts.rag_figure({"on_track": 4, "at_risk": 2, "off_track": 1, "none": 3})
        texts = _texts(fig)
    ax = fig.axes[0]
    bars = ax.patches
    assert [to_hex(b.get_facecolor()) for b in bars] == [
        "#198754",  # green: on track
        "#e0a800",  # amber: at risk
        "#dc3545",  # red: off track
        "#adb5bd",  # grey: no report
    ]
    hatches = [b.get_hatch() or "" for b in bars]
    # At risk, off track and no report carry a pattern each, none the same: a greyscale
    # print tells the four apart even where the greys come close.
    assert len(set(hatches)) == 4 and all(hatches[1:])
    assert texts["x"] == ["Conforme", "À risque", "Hors trajectoire", "Aucun rapport"]
    assert texts["legend"] == texts["x"]
    # Each bar carries its count.
    assert [t.get_text() for t in ax.texts] == ["4", "2", "1", "3"]
    assert texts["ylabel"] == "Activités" and texts["title"]


def test_small_counts_tick_in_whole_numbers_each_written_once():
    with translation.override("en"):
        texts = _texts(report_charts.rag_figure({"on_track": 1, "at_risk": 1}))
    assert texts["y"] == ["0", "1"]


# --- the compiled files ----------------------------------------------------------------


def _pdf_text(field) -> str:
    from pypdf import PdfReader

    with field.open("rb") as handle:
        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)


def _docx_text(field) -> str:
    from docx import Document

    with field.open("rb") as handle:
        doc = Document(io.BytesIO(handle.read()))
    return "\n".join(p.text for p in doc.paragraphs)


def _flat(text: str) -> str:
    # pypdf breaks lines where the page does and reads a no-break space as a space.
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def test_the_compiled_files_carry_the_summary_and_french_headings(
    record, programme, secretariat, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = _report(programme, secretariat)
    report.refresh_from_db()
    assert report.status == "succeeded", report.error
    en, fr = _flat(_pdf_text(report.pdf)), _flat(_pdf_text(report.pdf_fr))
    assert "Period covered: 1 January 2016 to 31 December 2016" in en
    assert "Spending to date stands at €125,000 of the €150,000 planned (83.3%)." in en
    assert "1. Summary" in en and "2. Status and progress" in en
    for heading in (
        "1. Synthèse",
        "2. Statut et avancement",
        "3. Budget prévu et dépensé",
        "4. Retour d'information des experts et des Correspondants permanents",
        "7. Rapports d'avancement en retard",
        "Période couverte",
        "Rapport d'évaluation 2016",
        "Dernier rapport d'avancement de la période",
    ):
        assert heading in fr, heading
    assert "Les dépenses s'élèvent à ce jour à 125" in fr and "(83,3 %)" in fr
    assert "Summary" not in fr and "On track" not in fr
    # The Word files say the same.
    word_fr = _flat(_docx_text(report.docx_fr))
    assert "Les dépenses s'élèvent à ce jour à 125" in word_fr and "1. Synthèse" in word_fr
    assert "Spending to date stands at €125,000" in _flat(_docx_text(report.docx))


def test_gathering_the_report_reads_as_many_rows_in_as_many_queries_for_any_size(
    record, programme, secretariat
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    one = _report(
        programme, secretariat, scope="priority", priority=programme.priorities.get(number="3.4")
    )
    three = _report(programme, secretariat)
    counts = []
    for report in (one, three):
        with translation.override("en"), CaptureQueriesContext(connection) as queries:
            data = documents.gather(report)
        counts.append((len(data.lines), len(queries)))
    # 1 and 3 activities of 2016: the same queries (the overdue list is one query for
    # every half-year of the period, not one per activity).
    assert [n for n, _q in counts] == [1, 3]
    # The report (1); the overview: by format and status (statuses, formats, activities
    # outside the formats, transversal aims) and the formats' names, RAG, priorities,
    # feedback, indicators (6) and the overdue list, one for both half-years (1); the
    # activities with their indicators, measurements and impact assessments (4); their
    # latest reports (1), feedback (1) and critical comments (1); the human-rights and
    # gender coverage: by format and lead state (the totals too), by priority, the
    # activities lacking either (3).
    assert counts[0][1] == 18, counts
    assert counts[0][1] == counts[1][1], counts
