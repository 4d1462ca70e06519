"""The activities with overdue milestones (the dashboard's count and the activity
list's filter): running (planned or ongoing), of a programme that is not history, with
a milestone past due and not done; read as one match of the activities against the
late milestones (issue 17)."""

import datetime as dt

from django.utils import timezone

from activities.models import Activity
from activities.selectors import with_overdue_milestones
from tests.activities.factories import ActivityFactory, MilestoneFactory

TODAY = dt.date(2017, 3, 1)


def test_the_activities_with_overdue_milestones(programme):
    type(programme).objects.filter(pk=programme.pk).update(last_year=timezone.localdate().year)
    late, done, future, completed, clear = (
        ActivityFactory(work_programme=programme, status=status, title=title)
        for title, status in [
            ("Late", "ongoing"),
            ("Done", "ongoing"),
            ("Future", "planned"),
            ("Completed", "completed"),
            ("Clear", "planned"),
        ]
    )
    MilestoneFactory(activity=late, due_date=dt.date(2017, 2, 1))
    MilestoneFactory(activity=late, due_date=dt.date(2017, 2, 2))  # listed once
    MilestoneFactory(activity=done, due_date=dt.date(2017, 2, 1), done=True)
    MilestoneFactory(activity=future, due_date=TODAY)  # due today: not late yet
    MilestoneFactory(activity=completed, due_date=dt.date(2017, 2, 1))
    assert list(with_overdue_milestones(TODAY).values_list("title", flat=True)) == ["Late"]
    # The list's filter both ways.
    shown = Activity.objects.filter(pk__in=with_overdue_milestones(TODAY).values("pk"))
    assert shown.count() == 1
    others = Activity.objects.exclude(pk__in=with_overdue_milestones(TODAY).values("pk"))
    assert set(others.values_list("title", flat=True)) == {
        "Done",
        "Future",
        "Completed",
        "Clear",
    }


def test_a_programme_that_ended_has_no_overdue_milestones(programme):
    type(programme).objects.filter(pk=programme.pk).update(last_year=2016)
    MilestoneFactory(activity=ActivityFactory(work_programme=programme, status="ongoing"))
    assert not with_overdue_milestones(TODAY).exists()
