"""R-F5 routing from data: the filing goes to the bureau that reviews and decides it, stored on
the filing; that bureau (a city, a municipality's centre or a provincial centre) alone has it on
its to-do list and acts on it."""

import pytest

from filings.filings.selectors import filing_list_for_user, filing_todo_for_user
from filings.models import FilingStatus
from filings.review import services as review_services
from tests.filings.review.jurisdictions import fresh, submitted
from tests.support.factories import expert_opinion

pytestmark = pytest.mark.django_db


def test_j_sd_a_province_administered_enterprise_files_with_the_province_seed_004_s2_1(
    friday, places, staff
):
    filing = submitted(places["taishan"], "province")
    assert filing.reviewing_bureau == places["shandong"]
    assert filing.status == FilingStatus.CITY_REVIEW  # received by the provincial centre
    assert filing.received_on == friday and filing.due_on is not None  # its clock runs
    assert list(filing_todo_for_user(user=staff["sd"])) == [filing]


def test_j_sd_a_district_enterprise_files_with_the_municipal_centre_seed_004_s2_1(
    friday, places, staff
):
    filing = submitted(places["taishan"])
    # Shandong has no district pre-review: the municipal centre receives it directly.
    assert filing.status == FilingStatus.CITY_REVIEW
    assert filing.reviewing_bureau == places["taian"]
    assert list(filing_todo_for_user(user=staff["ta"])) == [filing]
    assert not filing_todo_for_user(user=staff["sd"]).exists()


def test_j_bj_a_city_administered_enterprise_files_with_the_municipal_centre_seed_002_s6_1(
    friday, places, staff
):
    filing = submitted(places["chaoyang"], "city")
    assert filing.status == FilingStatus.CITY_REVIEW  # no district pre-review for 市属企业
    assert filing.reviewing_bureau == places["beijing"]
    assert not filing_todo_for_user(user=staff["cy"]).exists()
    assert list(filing_todo_for_user(user=staff["bj1"])) == [filing]


def test_j_bj_a_district_enterprise_goes_through_its_district_to_the_centre_seed_002_s6_1(
    friday, places, staff
):
    filing = submitted(places["chaoyang"])
    assert filing.status == FilingStatus.DISTRICT_REVIEW
    assert filing.reviewing_bureau == places["beijing"]  # the municipality is the "city"
    assert list(filing_todo_for_user(user=staff["cy"])) == [filing]
    review_services.filing_district_forward(filing=filing, actor=staff["cy"], opinion="同意上报")
    assert list(filing_todo_for_user(user=staff["bj1"])) == [fresh(filing)]


def test_j_sd_the_city_never_gets_a_province_routed_filing_to_act_on_seed_004_s2_1(
    client, friday, places, staff
):
    filing = submitted(places["taishan"], "province")
    taian = staff["ta"]
    assert not filing_todo_for_user(user=taian).exists()
    # The city still reads the filing of an enterprise of its area, without the review forms.
    assert filing in filing_list_for_user(user=taian)
    client.force_login(taian)
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert f"/filings/{filing.pk}/decide/" not in page
    assert "山东省职业技能鉴定指导中心" in page  # who reviews it
    for form, data in (
        ("decide", {"decision": "approve", "note": ""}),
        ("experts", {"experts": [staff["sd_expert"].pk]}),
    ):
        assert client.post(f"/filings/{filing.pk}/{form}/", data).status_code == 404
    assert fresh(filing).status == FilingStatus.CITY_REVIEW


def test_j_sd_the_province_assigns_experts_and_decides_with_its_own_number_seed_004_s2_1(
    client, friday, places, staff
):
    filing = submitted(places["taishan"], "province")
    client.force_login(staff["sd"])
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert f"/filings/{filing.pk}/decide/" in page and "sd-expert" in page
    client.post(f"/filings/{filing.pk}/experts/", {"experts": [staff["sd_expert"].pk]})
    assert fresh(filing).status == FilingStatus.EXPERT_REVIEW
    expert_opinion(fresh(filing), staff["sd_expert"], "场地设备齐全，同意备案。")
    client.post(f"/filings/{filing.pk}/decide/", {"decision": "approve", "note": "同意备案"})
    filing = fresh(filing)
    assert filing.status == FilingStatus.APPROVED
    # The filing number carries the code of the bureau that decided it, not the city's.
    assert filing.number.startswith(f"37{friday.year}")
    assert not filing.number.startswith("3709")


def test_the_number_uses_the_reviewing_cities_code(client, friday, places, staff):
    filing = submitted(places["taishan"], "district", on_pilot_list=True)
    client.force_login(staff["ta"])
    client.post(f"/filings/{filing.pk}/decide/", {"decision": "approve", "note": ""})
    assert fresh(filing).number.startswith(f"3709{friday.year}")


def test_another_province_gets_a_404_on_a_province_routed_filing(client, friday, places, staff):
    from tests.support.factories import BureauFactory, make_member

    other = make_member("gd-officer", "province", bureau=BureauFactory(code="44", level="province"))
    filing = submitted(places["taishan"], "province")
    client.force_login(other)
    assert client.get(f"/filings/{filing.pk}/").status_code == 404
    assert client.post(f"/filings/{filing.pk}/decide/", {"decision": "approve"}).status_code == 404


def test_j_sd_the_province_desk_lists_what_is_routed_to_it_seed_004_s2_1(
    client, friday, places, staff
):
    provincial = submitted(places["taishan"], "province", name="山东重工省属集团有限公司")
    submitted(places["taishan"], name="泰安市泰山区机械制造有限公司")
    client.force_login(staff["sd"])
    desk = client.get("/dashboard/").content.decode()
    assert "山东重工省属集团有限公司" in desk and f"/filings/{provincial.pk}/" in desk
    assert "泰安市泰山区机械制造有限公司" not in desk  # Tai'an's to decide, not the province's
    client.force_login(staff["ta"])
    desk = client.get("/dashboard/").content.decode()
    assert "泰安市泰山区机械制造有限公司" in desk
    assert "山东重工省属集团有限公司" not in desk


def test_j_sd_a_filing_the_province_reviews_reads_provincial_review_seed_004_s2_1(
    client, friday, places, staff
):
    provincial = submitted(places["taishan"], "province")
    municipal = submitted(places["taishan"])
    client.force_login(staff["sd"])
    assert "省级审核" in client.get(f"/filings/{provincial.pk}/").content.decode()
    badge = '<span class="badge city_review">{}</span>'
    listing = client.get("/filings/").content.decode()
    assert listing.count(badge.format("省级审核")) == 1
    assert listing.count(badge.format("市级审核")) == 1  # Tai'an's own review
    assert badge.format("省级审核") in client.get("/dashboard/").content.decode()
    assert municipal.status == provincial.status == FilingStatus.CITY_REVIEW
