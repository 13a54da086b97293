"""Seed 002 §二(三): thesis defence (论文答辩) among the methods, the enterprise's own declared
methods, and online recognition (线上认定) on the scheme form and page."""

import re

import pytest

from assessments.models import EvaluationMethod, EvaluationScheme, LevelMapping
from tests.assessments.schemes.factories import complete_scheme
from tests.assessments.schemes.test_schemes import scheme_form

pytestmark = pytest.mark.django_db


def test_seed002_s2_3_thesis_defence_own_methods_and_online_recognition_are_saved_and_shown(
    client, alice, line
):
    client.force_login(alice)
    client.post(
        "/schemes/new/",
        scheme_form(
            line,
            methods=["theory_exam", "practical", "thesis_defence"],
            declared_methods="项目成果评审\n\n  技术攻关答辩  ",
            online_recognition="on",
        ),
    )
    scheme = EvaluationScheme.objects.get()
    assert "thesis_defence" in scheme.methods
    assert scheme.declared_methods == ["项目成果评审", "技术攻关答辩"]
    assert scheme.online_recognition is True
    page = client.get(f"/schemes/{scheme.pk}/").text
    assert str(EvaluationMethod.THESIS_DEFENCE.label) in page
    assert "项目成果评审、技术攻关答辩" in page
    edit = client.get(f"/schemes/{scheme.pk}/edit/").text
    assert "项目成果评审\n技术攻关答辩</textarea>" in edit
    assert re.search(r'<input type="checkbox" name="online_recognition"[^>]*checked', edit)


def test_seed002_s2_3_an_own_method_named_twice_is_refused_and_the_input_kept(client, alice, line):
    client.force_login(alice)
    response = client.post(
        "/schemes/new/", scheme_form(line, declared_methods="项目成果评审\n项目成果评审")
    )
    assert "“项目成果评审”" in response.text
    assert "项目成果评审\n项目成果评审</textarea>" in response.text
    assert not EvaluationScheme.objects.exists()


def test_seed002_s2_3_an_own_method_that_is_a_listed_method_is_refused(client, alice, line):
    client.force_login(alice)
    listed = str(EvaluationMethod.THESIS_DEFENCE.label)
    response = client.post("/schemes/new/", scheme_form(line, declared_methods=listed))
    assert f"“{listed}”" in response.text
    assert not EvaluationScheme.objects.exists()


def test_seed002_s2_3_an_own_method_longer_than_40_characters_is_refused(client, alice, line):
    client.force_login(alice)
    name = "项" * 41
    response = client.post("/schemes/new/", scheme_form(line, declared_methods=name))
    assert f"“{name}”" in response.text and "41" in response.text
    assert not EvaluationScheme.objects.exists()


def test_seed002_s2_3_a_scheme_without_own_methods_is_not_online_by_default(client, alice, line):
    client.force_login(alice)
    client.post("/schemes/new/", scheme_form(line))
    scheme = EvaluationScheme.objects.get()
    assert scheme.declared_methods == [] and scheme.online_recognition is False


def test_seed004_s1_3_an_enterprise_level_cannot_bear_a_national_level_s_name(
    client, alice, ent_a, line
):
    scheme = complete_scheme(ent_a, scope_line=line)
    client.force_login(alice)
    response = client.post(
        f"/schemes/{scheme.pk}/mappings/new/",
        {"enterprise_level": "高级工", "national_level": "3", "version": scheme.version},
    )
    assert "“高级工”" in response.text
    assert not LevelMapping.objects.filter(enterprise_level="高级工").exists()
    client.post(
        f"/schemes/{scheme.pk}/mappings/new/",
        {"enterprise_level": "高级工一档", "national_level": "3", "version": scheme.version},
    )
    assert LevelMapping.objects.filter(enterprise_level="高级工一档").exists()
