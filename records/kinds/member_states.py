"""Member states, matched on their ISO code. The data model's "contact" of a
member state is the state itself as the portal knows it (name in both languages,
status in the group, years of joining and leaving, a note for the Secretariat's
contact details); the people behind it, the Permanent Correspondents, are accounts
(``create_account``), not imported rows."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pompidou import audit
from pompidou.errors import DomainError
from programme.models import MemberState

from ..columns import Column, parse_int, text
from .base import CREATED, UNCHANGED, UPDATED, ImportKind, choice_parser

COLUMNS = (
    Column(
        "code",
        "ISO code",
        "Code ISO",
        gettext_lazy("ISO 3166-1 alpha-2, e.g. FR: the natural key."),
        required=True,
        parse=lambda value: text(value).upper(),
    ),
    Column("name_en", "Name (English)", "Nom (anglais)", required=True),
    Column("name_fr", "Name (French)", "Nom (français)"),
    Column(
        "status",
        "Status",
        "Statut",
        gettext_lazy("member, partner or observer (empty: member)."),
        parse=choice_parser(MemberState.Status),
        choices=tuple(MemberState.Status.values),
    ),
    Column("joined_year", "Joined", "Adhésion", parse=parse_int),
    Column("left_year", "Left", "Départ", parse=parse_int),
    Column(
        "note",
        "Note",
        "Note",
        gettext_lazy("Contact details or remarks, 255 characters at most."),
    ),
)
FIELDS = ("name_en", "name_fr", "status", "joined_year", "left_year", "note")


class MemberStateImport(ImportKind):
    name = "member-states"
    label = gettext_lazy("Member states")
    columns = COLUMNS
    key_column = "code"

    def apply(self, values: dict[str, Any], actor: Any) -> str:
        # In the default language: modeltranslation writes the plain ``name`` column
        # (unique) from the active language's value (as ``load_member_states`` does).
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            return self._apply(values, actor)

    def _apply(self, values: dict[str, Any], actor: Any) -> str:
        code = values["code"]
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise DomainError(
                _("%(code)s is not an ISO 3166-1 alpha-2 code (two letters, e.g. FR).")
                % {"code": code},
                field="code",
            )
        changes = {f: values[f] for f in FIELDS if f in values}
        if changes.get("status") is None:
            changes.pop("status", None)
        for field in ("name_fr", "note"):
            if changes.get(field) is None:
                changes.pop(field, None)
        state = MemberState.objects.filter(code=code).first()
        created = state is None
        if state is None:
            state = MemberState(code=code)
            before: dict[str, Any] = {}
        else:
            before = {f: getattr(state, f) for f in changes}
            if not audit.diff(before, changes):
                return UNCHANGED
        for field, value in changes.items():
            setattr(state, field, value)
        # The translated columns (modeltranslation): French falls back to English.
        english = getattr(state, "name_en", "")
        if not getattr(state, "name_fr", ""):
            setattr(state, "name_fr", english)  # noqa: B010 - a column mypy does not know
        if english:
            state.name = english
        try:
            state.full_clean()
        except ValidationError as exc:
            raise DomainError(
                {
                    ("name_en" if field == "name" else field): list(messages)
                    for field, messages in exc.message_dict.items()
                }
            ) from exc
        state.save()
        audit.record(
            state,
            audit.Kind.CREATED if created else audit.Kind.UPDATED,
            actor,
            changes=audit.diff(before, changes),
            comment="import",
        )
        self._states = None
        return CREATED if created else UPDATED
