"""R-P5: what the database itself keeps true of a roster import."""

import pytest
from django.db import IntegrityError, transaction

from assessments.models import RosterImport, RosterImportPhase
from tests.assessments.factories import PlanFactory


def test_the_phase_constraint_rejects_an_unknown_phase(ent_a):
    upload = RosterImport.objects.create(plan=PlanFactory(enterprise=ent_a), filename="名册.xlsx")
    assert upload.phase == RosterImportPhase.CHECKING
    with pytest.raises(IntegrityError), transaction.atomic():
        RosterImport.objects.filter(pk=upload.pk).update(phase="lost")
    upload.refresh_from_db()
    assert upload.phase == RosterImportPhase.CHECKING


def test_roster_jobs_stored_before_the_model_are_carried_over_with_their_ids(ent_a, alice):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.db import connection

    from portal.core.models import BackgroundJob, JobStatus

    migration = importlib.import_module("assessments.migrations.0010_roster_import_from_jobs")
    plan = PlanFactory(enterprise=ent_a)
    job = BackgroundJob(
        kind="roster_import",
        created_by=alice,
        status=JobStatus.DONE,
        params={"plan": plan.pk, "filename": "名册.xlsx"},
        result={"phase": "checked", "rows": 2, "good": 1, "bad": 1, "bad_rows": [[5, "张三"]]},
        done=2,
        total=2,
    )
    job.file.save("roster.xlsx", ContentFile(b"sealed"), save=False)
    job.save()
    other = BackgroundJob.objects.create(kind="certificate_batch", params={"plan": plan.pk})
    migration.forwards(apps, SimpleNamespace(connection=connection))  # it needs no DDL
    upload = RosterImport.objects.get(pk=job.pk)
    assert (upload.plan, upload.phase, upload.filename) == (plan, "checked", "名册.xlsx")
    assert (upload.rows, upload.good, upload.bad, upload.created_by) == (2, 1, 1, alice)
    assert upload.preview == {"file_problems": [], "bad_rows": [[5, "张三"]]}
    assert upload.file.name == job.file.name
    assert list(BackgroundJob.objects.values_list("pk", flat=True)) == [other.pk]
    assert RosterImport.objects.create(plan=plan).pk > job.pk  # the ids go on after the moved
