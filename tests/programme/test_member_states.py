"""Member states in English and French from ISO 3166 (django-countries), and
sorted by the collation of the reader's language."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from pompidou.lib.collation import order_by_name, sort_key, sorted_by_name
from pompidou.lib.countries import UnknownCountryCode, country_names
from programme.loader import LoaderError, load_member_states
from programme.models import MemberState
from programme.selectors import member_states_by_name

HEADER = "iso2,status,joined,left,source_note\n"


def _csv(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "states.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_member_states_load_from_the_repository_file_in_both_languages(db):
    report = load_member_states()
    assert report.counts["member_states"] == 47
    assert MemberState.objects.filter(status="partner").count() == 6
    assert MemberState.objects.get(code="RU").left_year == 2022
    assert MemberState.objects.get(code="MX").joined_year == 2017
    algeria = MemberState.objects.get(code="DZ")
    assert (algeria.name_en, algeria.name_fr) == ("Algeria", "Algérie")
    with translation.override("fr"):
        assert MemberState.objects.get(code="DE").name == "Allemagne"
        assert MemberState.objects.get(code="EG").name == "Égypte"
        assert str(MemberState.objects.get(code="DZ")) == "Algérie"
    with translation.override("en"):
        assert MemberState.objects.get(code="DE").name == "Germany"


def test_the_council_of_europe_usage_overrides_iso_where_it_differs(db):
    load_member_states()
    names = {s.code: (s.name_en, s.name_fr) for s in MemberState.objects.all()}
    assert names["CZ"] == ("Czech Republic", "République tchèque")
    assert names["RU"] == ("Russian Federation", "Fédération de Russie")
    assert names["TR"] == ("Türkiye", "Türkiye")
    assert names["PS"] == ("Palestine", "Palestine")


def test_loading_the_member_states_twice_changes_nothing(db):
    load_member_states()
    before = list(MemberState.objects.values_list("code", "name_en", "name_fr", "status"))
    with translation.override("fr"):  # the active language does not change what is written
        report = load_member_states()
    assert not report.changed
    after = list(MemberState.objects.values_list("code", "name_en", "name_fr", "status"))
    assert after == before


def test_a_name_changed_by_hand_is_brought_back_to_iso(db):
    load_member_states()
    MemberState.objects.filter(code="DZ").update(name_fr="Alger")
    report = load_member_states()
    assert report.updated == 1
    assert MemberState.objects.get(code="DZ").name_fr == "Algérie"


def test_an_unknown_code_is_refused_and_nothing_is_written(db, tmp_path):
    path = _csv(tmp_path, "FR,member,,,\nXK,member,,,\n")
    with pytest.raises(LoaderError, match=r"line 3 \(XK\): 'XK' is not an ISO 3166-1"):
        load_member_states(path)
    assert not MemberState.objects.exists()


def test_a_malformed_code_or_status_is_refused_whole(db, tmp_path):
    with pytest.raises(LoaderError, match=r"line 3 \(X1\): 'iso2' must be a two-letter"):
        load_member_states(_csv(tmp_path, "FR,member,,,\nX1,member,,,\n"))
    with pytest.raises(LoaderError, match=r"line 2 \(FR\): 'status' must be one of"):
        load_member_states(_csv(tmp_path, "FR,king,,,\n"))
    with pytest.raises(LoaderError, match=r"line 3 \(fr\): FR is listed twice"):
        load_member_states(_csv(tmp_path, "FR,member,,,\nfr,member,,,\n"))
    assert not MemberState.objects.exists()


def test_a_file_with_a_name_column_is_refused_with_the_reason(db, tmp_path):
    path = _csv(tmp_path, "Alger,DZ,partner,,,\n", header="name," + HEADER)
    with pytest.raises(LoaderError, match="names come from ISO 3166"):
        load_member_states(path)
    assert not MemberState.objects.exists()


def test_the_command_reports_a_bad_file_without_a_traceback(db, tmp_path):
    path = _csv(tmp_path, "ZZ,member,,,\n")
    with pytest.raises(CommandError, match="Nothing was loaded.*'ZZ' is not an ISO 3166-1"):
        call_command("load_member_states", "--file", str(path))


def test_country_names_come_from_iso_in_each_language():
    assert country_names("dz") == {"en": "Algeria", "fr": "Algérie"}
    assert country_names("AE") == {"en": "United Arab Emirates", "fr": "Émirats arabes unis"}
    with pytest.raises(UnknownCountryCode):
        country_names("QQ")


# --- collation ---------------------------------------------------------------

FRENCH = ["Égypte", "Émirats arabes unis", "Espagne", "Allemagne", "Estonie", "Autriche"]


def test_the_python_sort_key_orders_as_a_french_reader_expects():
    names = ["émirats arabes unis", "Zambie", "Égypte", "Estonie", "egypte", "Espagne", "Œsel"]
    assert sorted_by_name(names) == [
        "egypte",
        "Égypte",
        "émirats arabes unis",
        "Espagne",
        "Estonie",
        "Œsel",
        "Zambie",
    ]
    # Without the key, accents and capitals fall after Z.
    assert sorted(names)[-3:] == ["Égypte", "émirats arabes unis", "Œsel"]


def test_the_python_sort_key_breaks_ties_unaccented_then_lower_case_first():
    assert sort_key("cote") < sort_key("côte") < sort_key("Côte")
    assert sort_key("Österreich") < sort_key("Polen")


@pytest.fixture
def arab_states(states):
    for code in ("EG", "AE", "AT", "EE"):
        names = country_names(code)
        MemberState.objects.create(code=code, name=names["en"], name_fr=names["fr"])
    return states


def test_french_order_puts_egypte_and_emirats_among_the_e_on_postgresql(arab_states):
    with translation.override("fr"):
        names = [s.name for s in member_states_by_name()]
    assert names == [
        "Allemagne",
        "Autriche",
        "Égypte",
        "Émirats arabes unis",
        "Espagne",
        "Estonie",
        "France",
        "Italie",
        "Norvège",
    ]


def test_english_order_by_the_english_names(arab_states):
    with translation.override("en"):
        names = [s.name for s in member_states_by_name()]
    assert names == [
        "Austria",
        "Egypt",
        "Estonia",
        "France",
        "Germany",
        "Italy",
        "Norway",
        "Spain",
        "United Arab Emirates",
    ]


def test_the_database_and_the_python_key_agree(arab_states):
    with translation.override("fr"):
        from_database = [s.name for s in member_states_by_name()]
        assert from_database == sorted_by_name(s.name for s in MemberState.objects.all())


def test_a_state_without_a_french_name_sorts_by_its_english_one(arab_states):
    MemberState.objects.create(code="QZ", name="Bhutanland")
    with translation.override("fr"):
        names = [s.name for s in order_by_name(MemberState.objects.all())]
    assert names.index("Bhutanland") == names.index("Autriche") + 1


def test_a_name_recorded_in_one_language_reads_in_the_other():
    from pompidou.lib.countries import in_current_language

    with translation.override("fr"):
        assert in_current_language("Germany") == "Allemagne"
        assert in_current_language("Czechia") == "République tchèque"
        assert in_current_language("Turkey") == "Türkiye"
        assert in_current_language("Helena Varga") == "Helena Varga"
    with translation.override("en"):
        assert in_current_language("Allemagne") == "Germany"
        assert in_current_language("Algérie") == "Algeria"
