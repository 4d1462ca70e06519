import factory
from django.contrib.auth import get_user_model

from pompidou.lib.countries import UnknownCountryCode, country_names
from programme import models


def _iso_french(code: str, name: str) -> str | None:
    try:
        names = country_names(code)
    except UnknownCountryCode:
        return None
    return names["fr"] if names["en"] == name else None


class MemberStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MemberState
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda o: f"State {o.code}")
    # A state named as ISO names it in English gets ISO's French name, as the
    # loader gives it (pompidou/lib/countries.py); a made-up name has no French one.
    name_fr = factory.LazyAttribute(lambda o: _iso_french(o.code, o.name))
    status = models.MemberState.Status.MEMBER


class WorkProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.WorkProgramme

    reference = factory.Sequence(lambda n: f"P-PG/TEST ({2000 + n}) 1")
    title = factory.Sequence(lambda n: f"Work Programme {n}")
    first_year = 2019
    last_year = 2022
    status = models.WorkProgramme.Status.DRAFT


class ThematicPriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ThematicPriority

    work_programme = factory.SubFactory(WorkProgrammeFactory)
    number = factory.Sequence(lambda n: f"9.{n + 1}")
    title = factory.Sequence(lambda n: f"Priority {n}")


class PriorityAimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PriorityAim

    priority = factory.SubFactory(ThematicPriorityFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Aim {n}")


class PermanentFormatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PermanentFormat

    work_programme = factory.SubFactory(WorkProgrammeFactory)
    number = factory.Sequence(lambda n: f"8.{n + 1}")
    name = factory.Sequence(lambda n: f"Format {n}")


class AdoptionCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AdoptionCriterion

    work_programme = factory.SubFactory(WorkProgrammeFactory)
    number = factory.Sequence(lambda n: n + 100)
    title = factory.Sequence(lambda n: f"Criterion {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("secret-pass-123")
