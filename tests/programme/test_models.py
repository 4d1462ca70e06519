import pytest
from django.db import IntegrityError, transaction

from programme.models import BureauMandate, WorkProgramme
from tests.programme.factories import (
    AdoptionCriterionFactory,
    ThematicPriorityFactory,
    UserFactory,
    WorkProgrammeFactory,
)


@pytest.mark.django_db
def test_duplicate_priority_number_in_a_programme_fails_at_the_database():
    priority = ThematicPriorityFactory(number="3.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ThematicPriorityFactory(work_programme=priority.work_programme, number="3.1")
    # The same number in another programme is fine.
    ThematicPriorityFactory(number="3.1")


@pytest.mark.django_db
def test_programme_ending_before_it_starts_fails_at_the_database():
    with pytest.raises(IntegrityError):
        WorkProgrammeFactory(first_year=2018, last_year=2015)


def test_at_most_one_programme_is_in_force(programme):
    assert programme.status == WorkProgramme.Status.IN_FORCE
    WorkProgrammeFactory(status=WorkProgramme.Status.CLOSED)
    with pytest.raises(IntegrityError):
        WorkProgrammeFactory(status=WorkProgramme.Status.IN_FORCE)


@pytest.mark.django_db
def test_criterion_weight_must_be_positive_and_number_unique():
    criterion = AdoptionCriterionFactory(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptionCriterionFactory(work_programme=criterion.work_programme, number=1)
    with pytest.raises(IntegrityError):
        AdoptionCriterionFactory(weight=0)


@pytest.mark.django_db
def test_current_bureau_is_the_mandates_running_on_a_day():
    from datetime import date

    user = UserFactory()
    old = BureauMandate.objects.create(
        user=user, office="chair", start_date=date(2011, 1, 1), end_date=date(2014, 12, 31)
    )
    running = BureauMandate.objects.create(user=user, office="chair", start_date=date(2015, 1, 1))
    assert list(BureauMandate.objects.current(date(2016, 3, 1))) == [running]
    assert list(BureauMandate.objects.current(date(2013, 3, 1))) == [old]
    with pytest.raises(IntegrityError):
        BureauMandate.objects.create(
            user=user, office="chair", start_date=date(2015, 1, 1), end_date=date(2014, 1, 1)
        )
