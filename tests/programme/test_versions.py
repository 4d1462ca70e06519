"""Versions of a work programme: the snapshot holds both languages, the comparison
goes section by section in the document's order and marks only what changed, every
text escaped."""

from programme import versions
from tests.programme.test_authoring import draft, make_draft  # noqa: F401 (the fixture)


def test_a_snapshot_holds_both_languages_and_the_numbers(programme):
    snap = versions.snapshot(programme)
    assert snap["texts"]["title_fr"] and snap["texts"]["title_en"]
    assert [p["number"] for p in snap["priorities"]] == ["3.1", "3.2", "3.3", "3.4"]
    assert snap["priorities"][0]["aims"][0]["text_fr"]
    assert snap["criteria"][0]["weight"] == "1"
    assert snap["thresholds"] == {
        "min_criterion_mean": "3.0",
        "min_total_numerator": "2",
        "min_total_denominator": "3",
    }


def test_sections_come_in_the_documents_order(programme):
    keys = [
        d.key for d in versions.compare(versions.snapshot(programme), versions.snapshot(programme))
    ]
    assert keys[:3] == ["introduction", "aims", "priority:3.1"]
    assert keys[-2:] == ["criteria", "thresholds"]
    assert keys.index("priority:3.4") < keys.index("format:4.1")
    assert not any(
        d.changed
        for d in versions.compare(versions.snapshot(programme), versions.snapshot(programme))
    )


def test_the_comparison_marks_words_and_escapes(programme):
    before = versions.snapshot(programme)
    after = versions.snapshot(programme)
    after["priorities"][1]["title_en"] = before["priorities"][1]["title_en"].replace(
        "costs", "<b>prices</b>"
    )
    after["criteria"][2]["weight"] = "2.5"
    after["priorities"][1]["rationale_fr"] = "Tout autre chose."
    changed = {d.key: d for d in versions.compare(before, after) if d.changed}
    assert set(changed) == {"priority:3.2", "criteria"}
    rows = [r for r in changed["priority:3.2"].rows if r.tag != "equal"]
    title = rows[0]
    assert (
        "<del>costs,</del>" in title.left and "<ins>&lt;b&gt;prices&lt;/b&gt;,</ins>" in title.right
    )
    assert title.left.startswith("Title (EN): Analysing")
    rewritten = rows[1]  # little in common: the whole text marked, its label not
    assert rewritten.left.startswith("Rationale (FR): <del>") and rewritten.right == (
        "Rationale (FR): <ins>Tout autre chose.</ins>"
    )
    weight = [r for r in changed["criteria"].rows if r.tag != "equal"][0]
    assert (weight.left, weight.right) == (
        "Criterion 3, weight <del>1</del>",
        "Criterion 3, weight <ins>2.5</ins>",
    )


def test_a_save_that_changes_nothing_makes_no_version(draft, secretariat):  # noqa: F811
    assert versions.record(draft, secretariat) is None
    draft.title_fr = "Autre titre"
    draft.save()
    version = versions.record(draft, secretariat)
    assert (version.number, version.changed) == (2, ["introduction"])
