"""Authoring a work programme through its services: the copy of the programme in
force (every text in both languages), the edits of its entries and thresholds, the
rules (numbers unique, years ordered, weights positive), the frozen adopted
programme, the moves into consultation and back, and the comments."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pompidou.errors import DomainError, PermissionDenied
from pompidou.models import AuditEvent, Notice
from programme import authoring, authoring_comments, authoring_entries
from programme.models import (
    AdoptionCriterion,
    PermanentFormat,
    ProgrammeVersion,
    ThematicPriority,
    WorkProgramme,
)

REF = "P-PG/MinConf (2018) 3"


def make_draft(programme, by, title_fr: str = "Programme de travail 2019–2022"):
    """2015–2018 copied as the 2019–2022 draft, as the Secretariat does."""
    return authoring.programme_copy(
        programme,
        reference=REF,
        title_en="Work Programme 2019–2022",
        title_fr=title_fr,
        first_year=2019,
        last_year=2022,
        by=by,
    )


@pytest.fixture
def draft(programme, secretariat):
    return make_draft(programme, secretariat)


def _priority_data(p, **changes):
    data = {
        "number": p.number,
        "transversal": p.transversal,
        **{
            f"{n}_{lang}": getattr(p, f"{n}_{lang}")
            for n in ("title", "rationale")
            for lang in ("en", "fr")
        },
        "aims_en": [a.text_en for a in p.aims.all()],
        "aims_fr": [a.text_fr or "" for a in p.aims.all()],
    }
    data.update(changes)
    return data


def _criterion_data(c, **changes):
    data = {
        "number": c.number,
        "weight": c.weight,
        "computed": c.computed,
        **{
            f"{n}_{lang}": getattr(c, f"{n}_{lang}")
            for n in ("title", "guidance")
            for lang in ("en", "fr")
        },
    }
    data.update(changes)
    return data


def test_a_copy_takes_every_text_in_both_languages_and_is_a_draft(programme, draft):
    assert draft.status == WorkProgramme.Status.DRAFT
    assert (draft.first_year, draft.last_year) == (2019, 2022)
    assert draft.title_fr == "Programme de travail 2019–2022"
    assert draft.introduction_fr and draft.introduction_fr == programme.introduction_fr
    assert draft.adopted_on is None and not draft.adopted_by_en and not draft.adopted_by_fr
    assert programme.adopted_by_en  # the source's adoption is not the copy's
    for relation in ("aims", "priorities", "formats", "criteria"):
        assert getattr(draft, relation).count() == getattr(programme, relation).count() > 0
    source = programme.priorities.get(number="3.2")
    copy = draft.priorities.get(number="3.2")
    assert copy.pk != source.pk
    assert (copy.title_en, copy.title_fr, copy.rationale_fr) == (
        source.title_en,
        source.title_fr,
        source.rationale_fr,
    )
    assert [a.text_fr for a in copy.aims.all()] == [a.text_fr for a in source.aims.all()]
    fmt, source_fmt = draft.formats.get(number="4.8"), programme.formats.get(number="4.8")
    assert fmt.kind == PermanentFormat.Kind.TIME_LIMITED
    assert [o.text_fr for o in fmt.objectives.all()] == [
        o.text_fr for o in source_fmt.objectives.all()
    ]
    assert fmt.expected_results.count() == source_fmt.expected_results.count()
    assert draft.min_criterion_mean == programme.min_criterion_mean
    # The source is untouched, and the copy is version 1 with one event.
    assert programme.priorities.get(number="3.2").pk == source.pk
    assert [v.number for v in draft.versions.all()] == [1]
    assert draft.versions.get().copied_from == programme.reference
    assert AuditEvent.objects.filter(object_id=draft.pk, kind="created").count() == 1


def test_from_scratch_makes_an_empty_draft(secretariat, programme):
    wp = authoring.programme_copy(
        None, reference="X 1", title_en="Blank", first_year=2030, last_year=2033, by=secretariat
    )
    assert wp.priorities.count() == wp.criteria.count() == 0
    assert wp.versions.get().number == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reference": "P-PG/MinConf (2014) 4"}, "reference"),  # the 2015–2018 one's
        ({"reference": "  "}, "reference"),
        ({"title_en": ""}, "title_en"),
        ({"first_year": 2023, "last_year": 2020}, "last_year"),
        ({"first_year": 2017, "last_year": 2020}, "first_year"),  # overlaps 2015–2018
        ({"first_year": 2019, "last_year": 2040}, "last_year"),
        ({"first_year": 10, "last_year": 2022}, "first_year"),
    ],
)
def test_a_bad_draft_names_its_field_and_creates_nothing(programme, secretariat, changes, field):
    values = {"reference": REF, "title_en": "WP", "first_year": 2019, "last_year": 2022}
    values.update(changes)
    before = WorkProgramme.objects.count()
    with pytest.raises(DomainError) as exc:
        authoring.programme_copy(programme, by=secretariat, **values)
    assert field in exc.value.errors
    assert WorkProgramme.objects.count() == before


def test_only_the_secretariat_drafts(programme, pc_fr):
    with pytest.raises(PermissionDenied):
        authoring.programme_copy(
            programme, reference=REF, title_en="WP", first_year=2019, last_year=2022, by=pc_fr
        )


def test_changing_a_priority_and_a_weight_makes_versions(draft, secretariat):
    p = draft.priorities.get(number="3.2")
    authoring_entries.entry_save(
        draft,
        "priority",
        entry=p,
        data=_priority_data(
            p, title_en="Policy coherence and costs", aims_en=["One", "Two"], aims_fr=["Un", "Deux"]
        ),
        by=secretariat,
    )
    p.refresh_from_db()
    assert p.title_en == "Policy coherence and costs"
    assert [(a.position, a.text_en, a.text_fr) for a in p.aims.all()] == [
        (1, "One", "Un"),
        (2, "Two", "Deux"),
    ]
    c = draft.criteria.get(number=3)
    authoring_entries.entry_save(
        draft, "criterion", entry=c, data=_criterion_data(c, weight="2.5"), by=secretariat
    )
    assert AdoptionCriterion.objects.get(pk=c.pk).weight == Decimal("2.5")
    versions = list(draft.versions.order_by("number"))
    assert [(v.number, v.changed) for v in versions] == [
        (1, []),
        (2, ["priority:3.2"]),
        (3, ["criteria"]),
    ]
    assert versions[2].snapshot["criteria"][2]["weight"] == "2.5"
    assert versions[2].author == secretariat
    # Saving the same values again makes no version.
    authoring_entries.entry_save(
        draft, "criterion", entry=c, data=_criterion_data(c, weight="2.50"), by=secretariat
    )
    assert draft.versions.count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weight": "0"}, "weight"),
        ({"weight": "-1"}, "weight"),
        ({"weight": "abc"}, "weight"),
        ({"weight": "1.234"}, "weight"),
        ({"weight": "100"}, "weight"),
        ({"number": 1}, "number"),  # criterion 1 exists
        ({"title_en": ""}, "title_en"),
    ],
)
def test_a_bad_criterion_is_refused_whole(draft, secretariat, changes, field):
    c = draft.criteria.get(number=3)
    versions = draft.versions.count()
    with pytest.raises(DomainError) as exc:
        authoring_entries.entry_save(
            draft, "criterion", entry=c, data=_criterion_data(c, **changes), by=secretariat
        )
    assert field in exc.value.errors
    c.refresh_from_db()
    assert (c.number, c.weight) == (3, Decimal("1"))
    assert draft.versions.count() == versions


def test_priority_numbers_stay_unique_and_french_lists_match(draft, secretariat):
    p = draft.priorities.get(number="3.2")
    with pytest.raises(DomainError) as exc:
        authoring_entries.entry_save(
            draft, "priority", entry=p, data=_priority_data(p, number="3.1"), by=secretariat
        )
    assert "another thematic priority" in exc.value.errors["number"][0].lower()
    with pytest.raises(DomainError) as exc:
        authoring_entries.entry_save(
            draft,
            "priority",
            entry=p,
            data=_priority_data(p, aims_en=["a", "b"], aims_fr=["un"]),
            by=secretariat,
        )
    assert "aims_fr" in exc.value.errors
    with pytest.raises(DomainError) as exc:
        authoring_entries.entry_save(
            draft, "priority", entry=p, data=_priority_data(p, number="three"), by=secretariat
        )
    assert "number" in exc.value.errors


def test_a_new_priority_takes_the_next_number_and_moves_up(draft, secretariat):
    new = authoring_entries.entry_save(
        draft,
        "priority",
        data={"title_en": "Prisons", "title_fr": "", "rationale_en": "", "rationale_fr": ""},
        by=secretariat,
    )
    assert new.number == "3.5"
    authoring_entries.entry_move(draft, "priority", entry=new, offset=-1, by=secretariat)
    numbers = {p.number: p.title_en for p in draft.priorities.all()}
    assert numbers["3.4"] == "Prisons"
    assert len(numbers) == 5
    first = authoring_entries.entries(draft, "priority")[0]
    with pytest.raises(DomainError):
        authoring_entries.entry_move(draft, "priority", entry=first, offset=-1, by=secretariat)
    authoring_entries.entry_remove(
        draft, "priority", entry=ThematicPriority.objects.get(pk=new.pk), by=secretariat
    )
    assert draft.priorities.count() == 4


def test_criteria_and_aims_reorder(draft, secretariat):
    c2 = draft.criteria.get(number=2)
    authoring_entries.entry_move(draft, "criterion", entry=c2, offset=1, by=secretariat)
    assert AdoptionCriterion.objects.get(pk=c2.pk).number == 3
    aims = authoring_entries.entries(draft, "aim")
    authoring_entries.entry_move(draft, "aim", entry=aims[2], offset=-1, by=secretariat)
    assert [a.pk for a in authoring_entries.entries(draft, "aim")] == [
        aims[0].pk,
        aims[2].pk,
        aims[1].pk,
    ]


def test_a_format_keeps_its_years_within_the_programme(draft, secretariat):
    f = draft.formats.get(number="4.8")
    data = {
        "number": "4.8",
        "kind": "time_limited",
        "first_year": 2018,
        "last_year": 2020,
        "name_en": f.name_en,
        "aims_en": ["Aim"],
    }
    with pytest.raises(DomainError) as exc:
        authoring_entries.entry_save(draft, "format", entry=f, data=data, by=secretariat)
    assert "first_year" in exc.value.errors
    data["first_year"] = 2019
    saved = authoring_entries.entry_save(draft, "format", entry=f, data=data, by=secretariat)
    assert (saved.first_year, saved.last_year) == (2019, 2020)
    assert [a.text_en for a in saved.aims.all()] == ["Aim"]


def test_thresholds_are_checked(draft, secretariat):
    with pytest.raises(DomainError) as exc:
        authoring.programme_update_thresholds(
            draft,
            min_criterion_mean="6",
            min_total_numerator=4,
            min_total_denominator=3,
            by=secretariat,
        )
    assert set(exc.value.errors) == {"min_criterion_mean", "min_total_numerator"}
    authoring.programme_update_thresholds(
        draft,
        min_criterion_mean="3.5",
        min_total_numerator=3,
        min_total_denominator=4,
        by=secretariat,
    )
    draft.refresh_from_db()
    assert (draft.min_criterion_mean, draft.min_total_numerator) == (Decimal("3.5"), 3)
    assert draft.versions.order_by("-number").first().changed == ["thresholds"]


def test_texts_in_both_languages(draft, secretariat):
    authoring.programme_update_texts(
        draft,
        data={"title_fr": "PT 2019–2022", "introduction_en": "New intro", "first_year": 2019},
        by=secretariat,
    )
    draft.refresh_from_db()
    assert (draft.title_fr, draft.introduction_en) == ("PT 2019–2022", "New intro")
    with pytest.raises(DomainError):
        authoring.programme_update_texts(draft, data={"status": "adopted"}, by=secretariat)


def test_an_adopted_programme_is_frozen(programme, secretariat):
    c = programme.criteria.get(number=3)
    with pytest.raises(DomainError) as exc:
        authoring_entries.entry_save(
            programme, "criterion", entry=c, data=_criterion_data(c, weight="2"), by=secretariat
        )
    assert "frozen" in exc.value.message
    assert not isinstance(exc.value, PermissionDenied)


def test_consultation_comments_and_the_notice(draft, secretariat, pc_fr, bureau_chair, expert):
    with pytest.raises(DomainError):  # not in consultation yet
        authoring_comments.comment_add(draft, section="criteria", text="Hm", by=pc_fr)
    draft = authoring.programme_move(draft, move="consult", by=secretariat)
    assert draft.status == "consultation"
    with CaptureQueriesContext(connection):
        comment = authoring_comments.comment_add(
            draft, section="priority:3.2", text="Add prisons.", by=pc_fr
        )
    assert comment.author == pc_fr
    authoring_comments.comment_add(draft, section="criteria", text="Fine.", by=bureau_chair)
    notice = Notice.objects.get(
        user=secretariat, kind="programme_comment", params__section="Thematic priority 3.2"
    )
    assert notice.url.endswith("#section-priority-3-2")
    with pytest.raises(PermissionDenied):
        authoring_comments.comment_add(draft, section="criteria", text="x", by=expert)
    with pytest.raises(DomainError) as exc:
        authoring_comments.comment_add(draft, section="priority:9.9", text="", by=pc_fr)
    assert set(exc.value.errors) == {"section", "text"}
    assert draft.comments.count() == 2
    draft = authoring.programme_move(draft, move="rework", by=secretariat)
    assert draft.status == "draft"
    with pytest.raises(DomainError):
        authoring.programme_move(draft, move="adopt", by=secretariat)
    assert ProgrammeVersion.objects.filter(work_programme=draft).count() == 1
