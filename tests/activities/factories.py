import datetime as dt
from decimal import Decimal

import factory

from activities import models
from activities.services import _next_reference
from activities.visibility import refresh_public
from tests.programme.factories import MemberStateFactory, WorkProgrammeFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity straight into the database (bypassing the services: for fixtures)."""

    class Meta:
        model = models.Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Activity {n}")
    description = "What the activity does."
    work_programme = factory.SubFactory(WorkProgrammeFactory, first_year=2015, last_year=2018)
    start_date = dt.date(2016, 1, 1)
    end_date = dt.date(2016, 12, 31)
    lead_member_state = factory.SubFactory(MemberStateFactory)
    planned_budget = Decimal("10000")
    reference = factory.LazyAttribute(lambda o: _next_reference(o.start_date.year))

    @factory.post_generation
    def thematic_priorities(self, create, extracted, **kwargs):
        if create and extracted:
            self.thematic_priorities.set(extracted)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        # Straight into the database, but with the public flag the services would store.
        if create:
            refresh_public([instance.pk])
            instance.refresh_from_db(fields=["is_public", "updated_at"])


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Milestone

    activity = factory.SubFactory(ActivityFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = dt.date(2016, 6, 30)


class AnnualProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AnnualProgramme

    work_programme = factory.SubFactory(WorkProgrammeFactory, first_year=2015, last_year=2018)
    year = 2016
    budget_ceiling = Decimal("100000")


class AnnualProgrammeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AnnualProgrammeEntry

    annual_programme = factory.SubFactory(AnnualProgrammeFactory)
    activity = factory.SubFactory(ActivityFactory)
    budget = Decimal("10000")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        entry = super()._create(model_class, *args, **kwargs)
        refresh_public([entry.activity_id])
        return entry


def add_seminars(annual_programme, size: int, *, first: int = 1) -> None:
    """``size`` activities of the programme's year, each under priority 3.3 and an
    entry of ``annual_programme`` at 1,000 EUR, in bulk (references
    ``PG-<year>-<first>``…): a long year for the compile's tests."""
    wp, year = annual_programme.work_programme, annual_programme.year
    priority = wp.priorities.get(number="3.3")
    references = [f"PG-{year}-{n:04d}" for n in range(first, first + size)]
    models.Activity.objects.bulk_create(
        ActivityFactory.build(
            work_programme=wp,
            title=f"Seminar number {n}",
            reference=reference,
            lead_member_state=None,
            start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31),
        )
        for n, reference in enumerate(references, start=first)
    )
    created = list(models.Activity.objects.filter(reference__in=references))
    link = models.Activity.thematic_priorities.through
    link.objects.bulk_create(
        link(activity_id=a.pk, thematicpriority_id=priority.pk) for a in created
    )
    models.AnnualProgrammeEntry.objects.bulk_create(
        models.AnnualProgrammeEntry(
            annual_programme=annual_programme, activity=a, budget=Decimal("1000")
        )
        for a in created
    )
