"""Seed the working-day calendar from the chinese-calendar package, for every year it knows."""

from django.db import migrations


def load_calendar(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    years = sorted({day.year for day in chinese_calendar.holidays})
    version = getattr(chinese_calendar, "__version__", "")
    chinese = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    for year in years:
        CalendarYear.objects.get_or_create(
            year=year, defaults={"source": f"chinese-calendar {version}".strip()}
        )
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    rows = [
        CalendarDay(date=day, kind="holiday", name=chinese.get(name, str(name or "")))
        for day, name in chinese_calendar.holidays.items()
        if day not in existing
    ]
    rows += [
        CalendarDay(date=day, kind="workday", name=chinese.get(name, str(name or "")))
        for day, name in chinese_calendar.workdays.items()
        if day not in existing and day.weekday() >= 5
    ]
    CalendarDay.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(load_calendar, migrations.RunPython.noop)]
