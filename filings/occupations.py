"""Loading the national occupation classification (职业分类大典) from CSV.

Columns: code, name, work_type (may be empty), kind (`skill` is eligible), access_type (`true`
marks an access-type qualification, not eligible). One row per work type.
"""

import csv
import io
from dataclasses import dataclass

from django.db import transaction

from filings.models import Occupation, OccupationKind, WorkType

REQUIRED_COLUMNS = ["code", "name", "work_type", "kind", "access_type"]


@dataclass
class ImportResult:
    occupations: int = 0
    work_types: int = 0


class OccupationFileError(ValueError):
    pass


@transaction.atomic
def import_occupations_csv(text: str) -> ImportResult:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise OccupationFileError(f"missing columns: {', '.join(missing)}")
    result = ImportResult()
    for number, row in enumerate(reader, start=2):
        code, name = row["code"].strip(), row["name"].strip()
        if not code or not name:
            raise OccupationFileError(f"row {number}: code and name are required")
        kind = row["kind"].strip() or OccupationKind.SKILL
        if kind not in OccupationKind.values:
            raise OccupationFileError(f"row {number}: unknown kind {kind!r}")
        occupation, created = Occupation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "access_type": row["access_type"].strip().lower() in ("true", "1", "yes"),
            },
        )
        result.occupations += created
        work_type = row["work_type"].strip()
        if work_type:
            _, created = WorkType.objects.get_or_create(occupation=occupation, name=work_type)
            result.work_types += created
    return result
