"""The API's OpenAPI schema: one tag per resource, and the answers every endpoint
shares (the error shape, authentication, limits) documented once, from what the view
itself is made of, rather than repeated in sixty decorators.

``AutoSchema`` is DRF's ``DEFAULT_SCHEMA_CLASS``. For each operation it adds, when the
view can give it and the operation does not document it already:

- 400 ``ValidationError``: a write, or a read with query parameters (a bad filter);
- 401 ``Error`` with ``WWW-Authenticate``: any view that authenticates a token (an
  unknown or malformed key is refused even where anonymous callers may read);
- 403 ``Error``: a write (a permission, or a session without its CSRF token), or a
  read that an anonymous caller may not make;
- 404 ``Error``: an address with a parameter, or a paginated list (``?page=`` past
  the end);
- 406 ``Error``: an ``Accept`` header that JSON does not satisfy (not for the files,
  which answer whatever it says);
- 413 ``Error``: a body over the portal's limit; 415: a body of another media type;
- 429 ``Error``: a throttled view, with ``Retry-After``;
- 503 ``Error``: an operation that queues a job (it answers 202) while the job queue
  is unreachable.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

API_PREFIX = "/api/v1/"

# The tags, in the order the documentation shows them: (name, description, the first
# segments of the paths under /api/v1/ it holds; "proposals/*/x" for a step of a
# proposal). Every operation has exactly one (tests/api/test_schema.py).
TAGS: list[tuple[str, str | Promise, tuple[str, ...]]] = [
    (
        "Authentication",
        _("Exchange a username and password for your API token."),
        ("auth",),
    ),
    ("Work programmes", _("The work programmes, in full (public)."), ("work-programmes",)),
    ("Thematic priorities", _("Priorities of section 3 (public)."), ("thematic-priorities",)),
    ("Permanent formats", _("Formats and projects of section 4 (public)."), ("permanent-formats",)),
    ("Adoption criteria", _("The criteria of section 2.2 (public)."), ("criteria",)),
    ("Member states", _("Member states, by ISO 3166-1 code (public)."), ("member-states",)),
    (
        "Activities",
        _(
            "Adopted activities (public), their changes (Secretariat), CSV and Excel export "
            "(a long list is written by a worker: follow the export it answers with)."
        ),
        ("activities", "activity-exports"),
    ),
    (
        "Annual programmes",
        _("Annual programmes (public) and their compiled documents (PDF, DOCX)."),
        ("annual-programmes", "annual-programme-documents"),
    ),
    (
        "Proposals",
        _("Drafting, submitting and withdrawing proposals, and their attached documents."),
        ("proposals", "proposals/*/submit", "proposals/*/withdraw", "proposals/*/attachments"),
    ),
    (
        "Supports",
        _("Other delegations co-sponsor a submitted proposal (criterion 1)."),
        ("proposals/*/supports",),
    ),
    (
        "Assessment",
        _("Assessors, their scores per criterion, and the aggregated score."),
        ("proposals/*/assessors", "proposals/*/assessments", "proposals/*/score"),
    ),
    (
        "Decisions",
        _("The Permanent Correspondents' decision, and the Bureau's vote on urgent proposals."),
        ("proposals/*/decision", "proposals/*/bureau-votes"),
    ),
    ("Progress reports", _("Half-yearly progress reports on activities."), ("progress-reports",)),
    ("Indicators", _("Indicators of expected results and their measurements."), ("indicators",)),
    (
        "Feedback requests",
        _("Feedback asked of experts and correspondents, and their answers."),
        ("feedback-requests",),
    ),
    (
        "Impact assessments",
        _("The initial impact of activities."),
        ("impact-assessments",),
    ),
    (
        "Evaluation reports",
        _("Evaluation reports compiled over a period and scope (PDF, DOCX)."),
        ("evaluation-reports",),
    ),
    (
        "Meetings",
        _(
            "Plenaries and Bureau meetings with their agendas (public), and the compiled lists "
            "of decisions (PDF, DOCX)."
        ),
        ("meetings", "decision-lists"),
    ),
    (
        "Search",
        _("Activities, proposals, meetings, priorities and formats found by their words."),
        ("search",),
    ),
    ("Notices", _("My inbox: my notices, and marking them read."), ("notices",)),
    (
        "Personal data",
        _("Everything the portal holds about me; the Secretariat erases an account."),
        ("me", "accounts"),
    ),
]


def tag_of(path: str) -> str | None:
    """The tag of an operation's path, or None for a path no tag holds."""
    parts = path.removeprefix(API_PREFIX).strip("/").split("/")
    keys = [f"{parts[0]}/*/{parts[2]}"] if len(parts) > 2 and parts[1].startswith("{") else []
    keys.append(parts[0])
    for key in keys:
        for name, _description, prefixes in TAGS:
            if key in prefixes:
                return name
    return None


def postprocess_tags(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A postprocessing hook: the tags in order, with their descriptions (as
    ``SPECTACULAR_SETTINGS["TAGS"]`` would, which settings cannot import)."""
    result["tags"] = [
        {"name": name, "description": str(description)} for name, description, _paths in TAGS
    ]
    return result


# --- the shared answers -----------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error but a form's: ``{"detail": "…"}`` (a refusal by a rule may add the
    field it concerns)."""

    detail = serializers.CharField(help_text="Why the request was refused, in plain words.")


class ValidationErrorSerializer(serializers.Serializer):
    """Documentation only: the 400 answer (see ``ValidationErrorExtension``)."""


class ValidationErrorExtension(OpenApiSerializerExtension):
    """A 400: a message list per field that was refused (nested like the body: a list
    of objects answers a list of objects), ``non_field_errors`` for what concerns the
    whole request, or ``{"detail": "…"}`` for a body that could not be read."""

    target_class = "pompidou.schema.ValidationErrorSerializer"

    def get_name(self, auto_schema: Any, direction: Any) -> str:
        return "ValidationError"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "description": str(self.__doc__ and " ".join(self.__doc__.split())),
            "properties": {
                "detail": {"type": "string"},
                "non_field_errors": {"type": "array", "items": {"type": "string"}},
            },
            "additionalProperties": {
                "description": "The messages for one field (or its items).",
                "oneOf": [
                    {"type": "array", "items": {}},
                    {"type": "object"},
                    {"type": "string"},
                ],
            },
            "example": {"end_date": ["The end date comes before the start date."]},
        }


def file_responses(*media_types: str, description: str = "The file.") -> dict[Any, Any]:
    """``extend_schema(responses=…)`` of a download: the file, of one of these media types
    (its errors are JSON, added by ``AutoSchema``)."""
    return {
        (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for media_type in media_types
    }


def examples(
    summary: str,
    *,
    request: Any = None,
    response: Any = None,
    status: int = 200,
    media_type: str = "application/json",
) -> list[OpenApiExample]:
    """``extend_schema(examples=…)`` of a write: its request body (if it takes one) of
    ``media_type``, and its answer, under one summary."""
    shown = []
    if request is not None:
        shown.append(
            OpenApiExample(summary, value=request, request_only=True, media_type=media_type)
        )
    if response is not None:
        shown.append(
            OpenApiExample(summary, value=response, response_only=True, status_codes=[status])
        )
    return shown


def _header(description: str, *, required: bool) -> dict[str, Any]:
    return {"schema": {"type": "string"}, "description": description, "required": required}


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
BODY_METHODS = ("POST", "PUT", "PATCH")


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema with the tags of ``TAGS`` and the shared answers."""

    def get_tags(self) -> list[str]:
        tag = tag_of(self.path)
        return [tag] if tag else super().get_tags()

    def get_auth(self) -> list[dict[str, Any]]:
        """As drf-spectacular's, with ``{}`` (no credentials) wherever the view's own
        permissions let an anonymous caller in, not only for ``AllowAny``."""
        auth = super().get_auth()
        if auth and {} not in auth and self._anonymous_allowed():
            auth.append({})
        return auth

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    # As a form sends them: ``?status=&year=2016`` filters by year only.
                    parameter["allowEmptyValue"] = True
            self._add_shared_answers(operation)
        return operation

    # -- which answers this operation can give

    def _add_shared_answers(self, operation: dict[str, Any]) -> None:
        responses = operation["responses"]
        method = self.method
        query = any(p.get("in") == "query" for p in operation.get("parameters", []))
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        invalid = self.resolve_serializer(ValidationErrorSerializer, "response").ref

        added: set[str] = set()

        def add(code: str, schema: Any, description: str | Promise, **headers: Any) -> None:
            added.add(code)
            given = responses.get(code, {})
            answer = {
                "description": given.get("description") or description,
                "content": {"application/json": {"schema": schema}},
            }
            if headers:
                answer["headers"] = headers
            responses[code] = answer

        if method not in SAFE_METHODS or query:
            add("400", invalid, _("Invalid request: a message per field."))
        scheme = self._authenticate_header()
        if scheme:
            add(
                "401",
                error,
                _(
                    "No valid credentials: an unknown or malformed token, or none where one is needed."
                ),
                **{"WWW-Authenticate": _header(f"The scheme to send: `{scheme}`.", required=True)},
            )
        if method not in SAFE_METHODS or not self._anonymous_allowed():
            add("403", error, _("Not allowed for this user, or at this stage."))
        if "{" in self.path or self._is_paginated_list(operation):
            add("404", error, _("No such object for this user (or no such page)."))
        if isinstance(self.view.get_content_negotiator(), DefaultContentNegotiation):
            add("406", error, _("The Accept header asks for a media type other than JSON."))
        if method not in SAFE_METHODS:
            add("413", error, _("The body is larger than the portal accepts."))
        if method in BODY_METHODS and "requestBody" in operation:
            add("415", error, _("The body is of a media type this endpoint does not read."))
        if self.view.get_throttles():
            add(
                "429",
                error,
                _("Too many requests: wait, then try again."),
                **{
                    "Retry-After": _header(
                        "Seconds to wait before the next request.", required=False
                    )
                },
            )
        if "202" in responses:
            add("503", error, _("The job queue is unavailable: nothing was queued; try again."))
        for code in [c for c in responses if c >= "400" and c not in added]:
            # An error a view declares itself: the same shape, with its own description.
            add(code, invalid if code == "400" else error, "")

    def _authenticate_header(self) -> str | None:
        """The scheme a 401 names, as DRF's view does: from its first authentication
        class; without one a refused request is a 403, never a 401."""
        authenticators = self.view.get_authenticators()
        if not authenticators:
            return None
        return authenticators[0].authenticate_header(self._anonymous_request()) or None

    def _anonymous_allowed(self) -> bool:
        """Whether the view's own permission classes let an anonymous caller make this
        request (the one rule, asked rather than restated)."""
        request = self._anonymous_request()
        try:
            return all(p.has_permission(request, self.view) for p in self.view.get_permissions())
        except Exception:  # noqa: BLE001 - a class that needs a real request: not public
            return False

    def _anonymous_request(self) -> Request:
        request = Request(APIRequestFactory().generic(self.method, self.path))
        request.user = AnonymousUser()
        return request

    def _is_paginated_list(self, operation: dict[str, Any]) -> bool:
        return any(p.get("name") == "page" for p in operation.get("parameters", []))
