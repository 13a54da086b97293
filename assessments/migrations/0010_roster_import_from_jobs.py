"""Roster uploads kept as generic BackgroundJob rows move to RosterImport, with the same ids (so
a task still queued for a job finds its import) and the same stored file."""

from django.core.management.color import no_style
from django.db import migrations

JOB_KIND = "roster_import"


def _phase(job) -> str:
    if job.status == "failed":
        return "failed"
    phase = (job.result or {}).get("phase", "checking")
    return phase if phase in {"checking", "checked", "importing", "imported"} else "failed"


def forwards(apps, schema_editor):
    BackgroundJob = apps.get_model("core", "BackgroundJob")
    RosterImport = apps.get_model("assessments", "RosterImport")
    ImplementationPlan = apps.get_model("assessments", "ImplementationPlan")
    plans = set(ImplementationPlan.objects.values_list("pk", flat=True))
    moved = []
    for job in BackgroundJob.objects.filter(kind=JOB_KIND).iterator():
        params, result = job.params or {}, job.result or {}
        if params.get("plan") not in plans:
            continue
        RosterImport.objects.create(
            pk=job.pk,
            plan_id=params["plan"],
            file=job.file.name,
            filename=params.get("filename", "")[:255],
            phase=_phase(job),
            only_good=bool(params.get("only_good", False)),
            done=job.done,
            total=job.total,
            rows=result.get("rows", 0),
            good=result.get("good", 0),
            bad=result.get("bad", 0),
            imported=result.get("imported", 0),
            left_out=result.get("left_out", 0),
            has_category=bool(result.get("has_category", False)),
            preview={
                "file_problems": result.get("file_problems", []),
                "bad_rows": result.get("bad_rows", []),
            },
            message=job.message,
            created_by_id=job.created_by_id,
        )
        RosterImport.objects.filter(pk=job.pk).update(
            created_at=job.created_at, updated_at=job.updated_at
        )
        moved.append(job.pk)
    BackgroundJob.objects.filter(pk__in=moved).delete()
    if moved:
        with schema_editor.connection.cursor() as cursor:
            for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [RosterImport]):
                cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0009_roster_import"),
        ("core", "0006_outbox"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
