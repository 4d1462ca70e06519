"""The backup and restore of the README ("Deploy with docker compose", step 5) work:
a database with data, dumped with pg_dump in the custom format, restores with
pg_restore into a new database that holds the same rows."""

import os
import shutil
import subprocess
import uuid

import pytest
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from activities.models import Activity
from tests.activities.factories import ActivityFactory

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only


def _tools_or_skip() -> None:
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql") if not shutil.which(tool)]
    if connection.vendor != "postgresql":
        missing.append("a PostgreSQL DATABASE_URL")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI tests the restore: missing {', '.join(missing)}")
        pytest.skip(f"missing {', '.join(missing)}")


def _pg_env() -> tuple[dict[str, str], list[str]]:
    s = connection.settings_dict
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = ["-h", s.get("HOST") or "127.0.0.1", "-p", str(s.get("PORT") or 5432)]
    if s.get("USER"):
        args += ["-U", s["USER"]]
    return env, args


def _psql(env, args, database: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", *args, "-d", database, "-v", "ON_ERROR_STOP=1", "-Atqc", sql],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_a_pg_dump_restores_with_pg_restore_into_a_new_database(programme, states, tmp_path):
    _tools_or_skip()
    with transaction.atomic():  # the reference sequence locks its row
        activity = ActivityFactory(work_programme=programme, lead_member_state=states["FR"])
        activity.thematic_priorities.add(programme.priorities.get(number="3.1"))
    expected = Activity.objects.count()

    env, args = _pg_env()
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "portal.dump"
    # The README's command: custom format, no owner, so it restores under any role.
    subprocess.run(
        ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(dump), source],
        env=env,
        check=True,
        capture_output=True,
    )
    target = f"restore_{uuid.uuid4().hex[:12]}"
    _psql(env, args, "postgres", f'CREATE DATABASE "{target}"')
    try:
        subprocess.run(
            ["pg_restore", *args, "--no-owner", "--exit-on-error", "-d", target, str(dump)],
            env=env,
            check=True,
            capture_output=True,
        )
        count = _psql(env, args, target, "SELECT count(*) FROM activities_activity")
        assert int(count) == expected >= 1
        row = _psql(
            env,
            args,
            target,
            "SELECT a.title, s.code FROM activities_activity a "
            "JOIN programme_memberstate s ON s.id = a.lead_member_state_id "
            f"WHERE a.reference = '{activity.reference}'",
        )
        assert row == f"{activity.title}|FR"
        # The restored database knows its migrations: /readyz would be ready on it.
        applied = _psql(env, args, target, "SELECT count(*) FROM django_migrations")
        assert int(applied) == MigrationRecorder(connection).migration_qs.count()
    finally:
        _psql(env, args, "postgres", f'DROP DATABASE IF EXISTS "{target}"')
