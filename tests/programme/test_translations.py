"""The work programme's texts in English and French: the YAML, the loader, the pages
and the back office."""

import html
import re
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from django.utils import translation

from programme.loader import WORK_PROGRAMME_2015_2018, LoaderError, load_work_programme
from programme.models import (
    AdoptionCriterion,
    FormatExpectedResult,
    PermanentFormat,
    PriorityAim,
    ProgrammeAim,
    ThematicPriority,
    WorkProgramme,
)
from programme.translation import missing_translations
from tests.conftest import client_for

TITLE_3_1_FR = "Placer les droits de l’homme au premier plan de la politique en matière de drogues"
TITLE_3_2_EN = (
    "Analysing policy coherence, costs, impact and potentially adverse effects of drug "
    "policy measures"
)


def _data() -> dict:
    return yaml.safe_load(WORK_PROGRAMME_2015_2018.read_text(encoding="utf-8"))


def _copy(tmp_path: Path, mutate) -> Path:
    data = _data()
    mutate(data)
    path = tmp_path / "programme.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _body(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# --- the file -------------------------------------------------------------------------


def _french_values(node, key=""):
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _french_values(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from _french_values(value, key)
    elif isinstance(node, str) and key.endswith("_fr"):
        yield key, node


def test_the_shipped_file_has_french_for_every_english_text(programme):
    objects = [
        programme,
        *programme.priorities.all(),
        *programme.formats.all(),
        *programme.criteria.all(),
    ]
    with translation.override("fr"):
        assert {
            str(obj): missing_translations(obj) for obj in objects if missing_translations(obj)
        } == {}


def test_the_french_texts_follow_french_typography():
    values = list(_french_values(_data()))
    assert len(values) >= 140  # every translated text of the document
    for key, text in values:
        assert "'" not in text, (key, text)  # the typographic apostrophe ’
        assert not re.search(r" [:;?!»]|« ", text), (key, text)  # a no-break space there


def test_the_french_uses_the_council_of_europes_terms():
    french = " ".join(text for _key, text in _french_values(_data()))
    for term in (
        "Groupe Pompidou",
        "Correspondants permanents",
        "Bureau",
        "programme d’activités annuel",
        "Conférence ministérielle",
        "États membres",
        "politique en matière de drogues",
        "droits de l’homme",
        "nouvelles substances psychoactives (NSP)",
        "réduction des risques",
    ):
        assert term in french, term


# --- the loader -----------------------------------------------------------------------


def test_loader_stores_both_languages_whatever_language_is_active(empty_database):
    with translation.override("fr"):
        load_work_programme()
    priority = ThematicPriority.objects.get(number="3.1")
    assert priority.title_en == "Bringing human rights to the forefront of drug policy"
    assert priority.title_fr == TITLE_3_1_FR
    aim = PriorityAim.objects.get(priority=priority, position=2)
    assert aim.text_en == "Contributing to reducing stigmatisation and discrimination;"
    assert aim.text_fr == "Contribuer à réduire la stigmatisation et la discrimination\u00a0;"
    wp = WorkProgramme.objects.get()
    assert wp.title_en == "Pompidou Group Work Programme 2015–2018"
    assert wp.title_fr == "Programme de travail du Groupe Pompidou 2015–2018"
    assert ProgrammeAim.objects.get(key="open-debate").title_fr == "Débat ouvert"
    assert AdoptionCriterion.objects.get(number=7).title_fr == "Rapport coûts-avantages"
    result = FormatExpectedResult.objects.get(format__number="4.9", position=5)
    assert (result.text_en, result.text_fr) == (
        "Broad visibility of the Pompidou Group.",
        "Une large visibilité du Groupe Pompidou.",
    )
    with translation.override("en"):
        assert str(priority.title) == priority.title_en
    with translation.override("fr"):
        assert priority.title == TITLE_3_1_FR


def test_a_second_load_changes_nothing_in_either_language(empty_database):
    first = load_work_programme()
    french = dict(ThematicPriority.objects.values_list("number", "title_fr"))
    second = load_work_programme()
    assert first.created > 100 and not second.changed
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)
    assert dict(ThematicPriority.objects.values_list("number", "title_fr")) == french


def test_a_changed_french_text_is_one_update(programme, tmp_path):
    def mutate(data):
        data["criteria"][6]["title_fr"] = "Rapport coût-bénéfice"

    report = load_work_programme(_copy(tmp_path, mutate))
    assert (report.created, report.updated, report.deleted) == (0, 1, 0)
    criterion = AdoptionCriterion.objects.get(number=7)
    assert (criterion.title_en, criterion.title_fr) == (
        "Cost-benefit ratio",
        "Rapport coût-bénéfice",
    )


@pytest.mark.parametrize(
    ("mutate", "where", "message"),
    [
        (
            lambda d: d["thematic_priorities"][2]["aims_fr"].pop(),
            "thematic_priorities[3] (3.3)",
            "'aims_fr' has 5 entries where 'aims' has 6",
        ),
        (
            lambda d: d["permanent_formats"][1]["objectives_fr"].append("Un objectif de plus."),
            "permanent_formats[2] (4.2)",
            "'objectives_fr' has 8 entries where 'objectives' has 7",
        ),
        (
            lambda d: d["permanent_formats"][3].update(short_name_fr="Formation des cadres"),
            "permanent_formats[4] (4.4)",
            "'short_name_fr' has no English 'short_name' beside it",
        ),
        (
            lambda d: d["criteria"][0].update(weight_fr=2),
            "criteria[1] (1)",
            "'weight_fr': 'weight' is not a translated text",
        ),
        (
            lambda d: d["aims"][1].update(title_fr=["Débat", "ouvert"]),
            "aims[2] (open-debate)",
            "'title_fr' must be text",
        ),
    ],
    ids=[
        "fewer-french-aims",
        "more-french-objectives",
        "french-without-english",
        "untranslated",
        "not-text",
    ],
)
def test_french_that_does_not_match_the_english_is_refused_and_nothing_is_written(
    empty_database, tmp_path, mutate, where, message
):
    with pytest.raises(LoaderError) as excinfo:
        load_work_programme(_copy(tmp_path, mutate))
    assert "programme.yaml" in str(excinfo.value)
    assert where in str(excinfo.value)
    assert message in str(excinfo.value)
    assert WorkProgramme.objects.count() == 0
    assert ThematicPriority.objects.count() == PermanentFormat.objects.count() == 0


def test_a_refused_file_leaves_the_loaded_programme_as_it_was(programme, tmp_path):
    def mutate(data):
        data["thematic_priorities"][0]["title_fr"] = "Autre titre"
        data["permanent_formats"][8]["expected_results_fr"].pop()

    with pytest.raises(LoaderError, match=r"permanent_formats\[9\] \(4.9\)"):
        load_work_programme(_copy(tmp_path, mutate))
    assert ThematicPriority.objects.get(number="3.1").title_fr == TITLE_3_1_FR


def _without_french_title_of_3_2(data):
    del data["thematic_priorities"][1]["title_fr"]
    del data["thematic_priorities"][1]["aims_fr"]


def test_a_missing_french_text_is_allowed_and_stored_empty(programme, tmp_path):
    load_work_programme(_copy(tmp_path, _without_french_title_of_3_2))
    priority = ThematicPriority.objects.get(number="3.2")
    assert priority.title_fr is None
    assert set(priority.aims.values_list("text_fr", flat=True)) == {None}
    assert missing_translations(priority) == ["title", "Aim 1", "Aim 2", "Aim 3", "Aim 4"]


# --- the pages ------------------------------------------------------------------------


def test_the_french_programme_page_shows_the_french_texts(programme):
    body = _body(client_for(None).get("/fr/programme/"))
    assert "<h1>Programme de travail du Groupe Pompidou 2015–2018</h1>" in body
    assert TITLE_3_1_FR in body
    for priority in programme.priorities.all():
        assert priority.title_fr in body
        assert priority.title_en not in body
    for criterion in programme.criteria.all():
        assert criterion.title_fr in body
    assert "Formation des cadres à la politique en matière de drogues" in body
    assert "Si les conventions internationales relatives au contrôle des drogues" in body
    assert ' lang="en"' not in _article(body)  # nothing read in English


def test_the_english_programme_page_stays_english(programme):
    body = _body(client_for(None).get("/en/programme/"))
    assert "<h1>Pompidou Group Work Programme 2015–2018</h1>" in body
    for priority in programme.priorities.all():
        assert priority.title_en in body
        assert priority.title_fr not in body
    assert "Groupe Pompidou" not in body


def test_a_french_page_shows_the_english_where_the_french_is_missing(programme, tmp_path):
    load_work_programme(_copy(tmp_path, _without_french_title_of_3_2))
    priority = ThematicPriority.objects.get(number="3.2")
    body = _body(client_for(None).get(f"/fr/programme/priorities/{priority.pk}/"))
    assert TITLE_3_2_EN in body
    assert "Better understanding of how to determine a balanced approach" in body
    # The rationale has its French: only what is missing falls back.
    assert "L’analyse coûts-avantages revêt une importance sans cesse croissante" in body
    # The English read as English (lang="en"), the French left in the page's language.
    assert re.search(r'<h1 lang="en"><span class="doc-number">3.2</span>' + TITLE_3_2_EN, body)
    assert body.count('<li lang="en">') == 4
    assert '<div class="rationale">' in body and '<div class="rationale" lang="en">' not in body
    article = _article(_body(client_for(None).get("/fr/programme/")))
    assert article.count(' lang="en"') == 5  # the title of 3.2 and its four aims
    assert ' lang="en"' not in _article(_body(client_for(None).get("/en/programme/")))


def _article(body: str) -> str:
    """The programme's text, without the menus (whose language switch has its own lang)."""
    return body[body.index("<article") : body.index("</article>")]


def test_the_priority_and_format_pages_answer_in_the_pages_language(programme):
    priority = programme.priorities.get(number="3.3")
    fmt = programme.formats.get(number="4.9")
    anonymous = client_for(None)
    french = _body(anonymous.get(f"/fr/programme/priorities/{priority.pk}/"))
    assert priority.title_fr in french
    assert (
        "Adapter et élargir le concept de prévention et de réduction des risques\u00a0;" in french
    )
    french = _body(anonymous.get(f"/fr/programme/formats/{fmt.pk}/"))
    assert "Prix européen de la prévention" in french
    assert "European Prevention Prize" not in french
    english = _body(anonymous.get(f"/en/programme/formats/{fmt.pk}/"))
    assert "European Prevention Prize" in english


def test_a_format_has_one_name_the_one_its_chapter_gives(programme):
    names = dict(programme.formats.values_list("number", "name_en"))
    assert names["4.4"] == "Executive Training on Drug Policy"
    assert names["4.9"] == "European Prevention Prize"
    assert set(programme.formats.values_list("short_name_en", flat=True)) == {""}
    body = _body(client_for(None).get("/en/programme/"))
    activities = _body(client_for(None).get("/en/activities/"))
    for other in ("Executive Training for Drug Policy Managers", "European Drug Prevention Prize"):
        assert other not in body
        assert other not in activities
    assert "4.4 Executive Training on Drug Policy" in activities  # the filter's choice


def test_the_activity_filter_lists_priorities_and_formats_in_the_pages_language(programme):
    french = _body(client_for(None).get("/fr/activities/"))
    english = _body(client_for(None).get("/en/activities/"))
    assert f"3.1 {TITLE_3_1_FR}" in french
    assert "4.2 Groupe Aéroports" in french
    assert "4.2 Airports Group" in english
    assert "4.2 Groupe Aéroports" not in english


# --- the back office ------------------------------------------------------------------


def test_the_back_office_edits_both_languages_side_by_side(programme, secretariat):
    priority = programme.priorities.get(number="3.1")
    url = reverse("admin:programme_thematicpriority_change", args=[priority.pk])
    body = _body(client_for(secretariat).get(url))
    row = re.search(
        r'<div class="form-row field-title_en field-title_fr">.*?</div>\s*</div>\s*</div>',
        body,
        re.S,
    )
    assert row is not None, "title_en and title_fr share one row"
    assert 'name="title_en"' in row.group(0) and 'name="title_fr"' in row.group(0)
    assert 'name="aims-0-text_en"' in body and 'name="aims-0-text_fr"' in body
    assert "No French text for" not in body
    assert "/static/css/admin-translations.css" in body


def test_the_back_office_says_which_french_texts_are_missing(programme, secretariat, tmp_path):
    load_work_programme(_copy(tmp_path, _without_french_title_of_3_2))
    staff = client_for(secretariat)
    changelist = _body(staff.get(reverse("admin:programme_thematicpriority_changelist")))
    columns = re.findall(r'<td class="field-french">([^<]*)</td>', changelist)
    assert sorted(columns) == ["5 missing", "complete", "complete", "complete"]
    priority = ThematicPriority.objects.get(number="3.2")
    form = _body(staff.get(reverse("admin:programme_thematicpriority_change", args=[priority.pk])))
    assert (
        "No French text for: title; Aim 1; Aim 2; Aim 3; Aim 4. French pages show the English."
        in form
    )


def test_the_back_office_saves_a_french_title_that_the_french_page_shows(programme, secretariat):
    priority = programme.priorities.get(number="3.4")
    url = reverse("admin:programme_thematicpriority_change", args=[priority.pk])
    staff = client_for(secretariat)
    aims = list(priority.aims.all())
    data = {
        "work_programme": programme.pk,
        "number": "3.4",
        "title_en": priority.title_en,
        "title_fr": "Internet : possibilités et défis",
        "rationale_en": priority.rationale_en,
        "rationale_fr": priority.rationale_fr,
        "aims-TOTAL_FORMS": len(aims),
        "aims-INITIAL_FORMS": len(aims),
        "aims-MIN_NUM_FORMS": 0,
        "aims-MAX_NUM_FORMS": 1000,
    }
    for i, aim in enumerate(aims):
        data |= {
            f"aims-{i}-id": aim.pk,
            f"aims-{i}-priority": priority.pk,
            f"aims-{i}-position": aim.position,
            f"aims-{i}-text_en": aim.text_en,
            f"aims-{i}-text_fr": aim.text_fr,
        }
    response = staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    priority.refresh_from_db()
    assert (priority.title_en, priority.title_fr) == (
        "Identifying opportunities and challenges for drug policies arising from the internet",
        "Internet : possibilités et défis",
    )
    assert "Internet : possibilités et défis" in _body(client_for(None).get("/fr/programme/"))


def test_the_evaluation_overview_names_priorities_and_formats_in_french(programme, secretariat):
    french = _body(client_for(secretariat).get("/fr/evaluation/"))
    english = _body(client_for(secretariat).get("/en/evaluation/"))
    assert TITLE_3_1_FR in french
    assert "Formation des cadres à la politique en matière de drogues" in french
    assert "Bringing human rights to the forefront of drug policy" in english
    assert TITLE_3_1_FR not in english
    assert "Bringing human rights to the forefront of drug policy" not in french
