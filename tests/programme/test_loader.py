from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from programme.loader import (
    WORK_PROGRAMME_2015_2018,
    LoaderError,
    load_work_programme,
)
from programme.models import (
    AdoptionCriterion,
    FormatObjective,
    PermanentFormat,
    PriorityAim,
    ThematicPriority,
    WorkProgramme,
)


def test_loader_creates_the_2015_2018_programme_with_the_documents_counts(programme):
    assert programme.title == "Pompidou Group Work Programme 2015–2018"
    assert programme.status == WorkProgramme.Status.IN_FORCE
    assert (programme.first_year, programme.last_year) == (2015, 2018)
    assert programme.adopted_by == "16th Ministerial Conference"
    assert programme.adopted_place == "Strasbourg"
    assert str(programme.adopted_on) == "2014-11-20"
    assert programme.aims.count() == 3
    aims_per_priority = {p.number: p.aims.count() for p in programme.priorities.all()}
    assert aims_per_priority == {"3.1": 5, "3.2": 4, "3.3": 6, "3.4": 4}
    assert list(programme.priorities.filter(transversal=True).values_list("number", flat=True)) == [
        "3.1"
    ]
    formats = list(programme.formats.order_by("number"))
    assert [f.number for f in formats] == [f"4.{n}" for n in range(1, 10)]
    assert [f.number for f in formats if f.kind == "time_limited"] == ["4.8"]
    criminal_justice = programme.formats.get(number="4.8")
    assert (criminal_justice.first_year, criminal_justice.last_year) == (2015, 2017)
    assert programme.criteria.count() == 8
    assert list(programme.criteria.filter(computed=True).values_list("number", flat=True)) == [1]


def test_loader_keeps_the_documents_texts(empty_database):
    load_work_programme()
    priority = ThematicPriority.objects.get(number="3.1")
    assert priority.title == "Bringing human rights to the forefront of drug policy"
    assert priority.aims.first().text == (
        "Increasing awareness of human rights obligations and reduction in human rights "
        "violations occurring in the pursuit of drug policy goals;"
    )
    assert PriorityAim.objects.get(priority__number="3.4", position=4).text == (
        "Promoting cooperation with relevant stakeholders from the private sector."
    )
    airports = PermanentFormat.objects.get(number="4.2")
    assert airports.name == "Airports Group"
    assert airports.objectives.count() == 7
    assert airports.objectives.first().text == (
        "Analysing drug trafficking trends, routes, risks, seizures, modi operandi, etc.;"
    )
    assert airports.expected_results.count() == 4
    prize = PermanentFormat.objects.get(number="4.9")
    assert prize.name == "European Prevention Prize"
    assert prize.expected_results.last().text == "Broad visibility of the Pompidou Group."
    assert FormatObjective.objects.filter(format__number="4.6").count() == 4
    criteria = list(AdoptionCriterion.objects.order_by("number").values_list("title", flat=True))
    assert criteria[0] == "Proposal to be supported by at least one other delegation"
    assert criteria[6] == "Cost-benefit ratio"
    assert criteria[7] == "Realistic in terms of achieving expected results in time"


def test_loading_twice_changes_nothing(empty_database):
    first = load_work_programme()
    ids = sorted(PriorityAim.objects.values_list("id", flat=True))
    second = load_work_programme()
    assert first.changed and not second.changed
    assert sorted(PriorityAim.objects.values_list("id", flat=True)) == ids
    assert WorkProgramme.objects.count() == 1


def _broken_copy(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(WORK_PROGRAMME_2015_2018.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_malformed_entry_is_named_and_nothing_is_loaded(empty_database, tmp_path):
    # The third priority lacks its title; the programme and the first two
    # priorities come before it in the file and must be rolled back too.
    path = _broken_copy(tmp_path, lambda d: d["thematic_priorities"][2].pop("title"))
    with pytest.raises(LoaderError) as excinfo:
        load_work_programme(path)
    message = str(excinfo.value)
    assert "broken.yaml" in message
    assert "thematic_priorities[3] (3.3)" in message
    assert "'title' is required" in message
    assert WorkProgramme.objects.count() == 0
    assert ThematicPriority.objects.count() == 0


def test_malformed_file_changes_nothing_in_an_existing_programme(programme, tmp_path):

    def mutate(data):
        data["title"] = "Changed title"
        data["criteria"][4]["weight"] = "heavy"

    with pytest.raises(LoaderError, match=r"criteria\[5\] \(5\): 'weight' must be a number"):
        load_work_programme(_broken_copy(tmp_path, mutate))
    assert WorkProgramme.objects.get().title == "Pompidou Group Work Programme 2015–2018"


def test_command_reports_a_malformed_file_without_a_traceback(db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("reference: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was loaded.*bad.yaml.*not valid YAML"):
        call_command("load_work_programme", "--file", str(bad))
