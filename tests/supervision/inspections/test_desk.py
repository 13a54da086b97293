"""The desk shows each role what waits for it: the supervisor's inspections to carry out, the
enterprise's findings to rectify, the bureau's answers to check and overdue rectifications."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import Finding, Inspection
from tests.supervision.factories import inspection_of, supervisor_profile


@pytest.fixture
def inspection(ent_a, sam, carl, world):
    supervisor_profile(sam, city=world["city"])
    return inspection_of(ent_a, supervisors=[sam], actor=carl)


def desk(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("dashboard")).content.decode()


def test_r_c2_the_supervisor_sees_the_inspection_to_carry_out(client, inspection, sam):
    assert "待开展的督导检查" in desk(client, sam)
    Inspection.objects.filter(pk=inspection.pk).update(status="reported")
    assert "待开展的督导检查" not in desk(client, sam)


def test_enterprise_and_bureau_see_findings_waiting_for_them(client, inspection, sam, alice, dora):
    Inspection.objects.filter(pk=inspection.pk).update(status="reported")
    today = timezone.localdate()
    Finding.objects.create(
        inspection=inspection,
        description="灭火器过期未更换",
        rectification="更换灭火器",
        rectify_by=today - dt.timedelta(days=1),
        created_by=sam,
    )
    Finding.objects.create(
        inspection=inspection,
        description="考场签到表缺页",
        rectification="补齐签到表",
        rectify_by=today + dt.timedelta(days=5),
        status="answered",
        response="已补齐",
        created_by=sam,
    )
    text = desk(client, alice)
    assert "灭火器过期未更换" in text and "考场签到表缺页" not in text
    text = desk(client, dora)
    assert "考场签到表缺页" in text  # answered: the bureau checks it
    assert "灭火器过期未更换" in text and "整改逾期" in text
