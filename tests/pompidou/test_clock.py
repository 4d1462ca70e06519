import datetime as dt

import pytest
from django.utils import timezone

from pompidou.lib.clock import replay_at


def test_replay_at_makes_now_and_today_that_day_and_restores_the_real_clock():
    with replay_at(dt.date(2017, 11, 28)):
        first = timezone.now()
        assert timezone.localdate() == dt.date(2017, 11, 28)
        assert timezone.localtime().hour == 10
        assert timezone.now() >= first  # the clock still ticks: events keep their order
    assert timezone.localdate().year > 2018


def test_replay_at_restores_the_real_clock_after_an_error():
    with pytest.raises(RuntimeError), replay_at(dt.date(2016, 1, 1)):
        raise RuntimeError
    assert timezone.localdate().year > 2018
