"""The REST API of personal data: my data (the download's JSON) and, for the
Secretariat, the erasure of an account. Same services as the pages."""

from typing import Any

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from pompidou.rules import require
from pompidou.schema import examples
from pompidou.serializers import InputSerializer

from . import erasure
from .permissions import can_erase_accounts
from .personal_data import collect


class PersonalDataApi(APIView):
    """Everything the portal holds about me: my account, then one section per kind of
    record that names me (the same as the "My data" page's JSON file)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(collect(request.user))


class EraseSerializer(InputSerializer):
    reason = serializers.CharField(max_length=500, help_text="Why (kept in the history).")


class ErasedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField(help_text="The pseudonym the account now shows.")
    name = serializers.CharField()


class AccountEraseApi(APIView):
    """Erase an account (Secretariat): deactivated, its name, username and e-mail
    replaced everywhere by a pseudonym; its records stay. Refused (400) for one's own
    account, an erased one, and the last Secretariat member."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=EraseSerializer,
        responses={200: ErasedSerializer},
        examples=examples(
            "Erase an account",
            request={"reason": "Left the Group and asked for the erasure."},
            response={"id": 12, "username": "former-a1b2c3", "name": "Former member a1b2c3"},
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        require(can_erase_accounts(request.user))  # before reading the body: 403, not 400
        serializer = EraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account: Any = get_object_or_404(get_user_model(), pk=pk)
        account = erasure.account_erase(
            account, by=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(
            {"id": account.pk, "username": account.username, "name": account.get_full_name()}
        )
