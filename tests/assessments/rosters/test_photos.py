"""R-K3 holders' photos: a ZIP of photos named by ID number attached to a plan's roster; the ZIP
is checked (type, size, entry count, unpacked size) and each photo by its content; what is
missing and what matched nobody is listed."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments.rosters import photos
from assessments.rosters import services as roster_services
from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError
from portal.core.masking import mask_id
from tests.assessments.factories import PlanFactory, RosterEntryFactory, id_number


def jpeg(color=(200, 30, 30), size=(30, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG")
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 40), (0, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


X_NUMBER = next(id_number(n) for n in range(300) if id_number(n).endswith("X"))


@pytest.fixture
def plan(ent_a):
    plan = PlanFactory(enterprise=ent_a)
    RosterEntryFactory(plan=plan, seq=1, name="张一", id_number=id_number(1))
    RosterEntryFactory(plan=plan, seq=2, name="张二", id_number=X_NUMBER)
    RosterEntryFactory(plan=plan, seq=3, name="张三", id_number=id_number(3))
    return plan


def attach(client, plan, data: bytes):
    return client.post(
        reverse("roster_photos", args=[plan.pk]),
        {"file": SimpleUploadedFile("照片.zip", data)},
    )


def test_r_k3_photos_named_by_id_number_are_attached_and_the_rest_listed(client, alice, plan):
    client.force_login(alice)
    data = zip_of(
        {
            f"照片/{id_number(1)}.jpg": jpeg(),
            f"{X_NUMBER.lower()}.PNG": png(),  # lower-case x, upper-case extension
            "440305199001019999.jpg": jpeg(),
            "合影.jpg": jpeg(),
            "说明.txt": "不是照片".encode(),
            "__MACOSX/._x.jpg": b"resource fork",
        }
    )
    text = attach(client, plan, data).content.decode()
    assert "已关联 2 张照片。" in text
    # The file name is the number: shown masked like every ID number (PIPL).
    assert "440***********9999.jpg：名册中没有该证件号的考生。" in text
    assert "合影.jpg：名册中没有该证件号的考生。" in text
    assert "说明.txt：不是 JPEG 或 PNG 照片（按文件内容检查）。" in text
    assert "__MACOSX" not in text
    assert "仍缺少照片的考生 (1)" in text and f"3. 张三 {mask_id(id_number(3))}" in text
    assert id_number(3) not in text
    entries = {entry.name: entry for entry in plan.roster.all()}
    assert entries["张一"].photo.name.endswith(".jpg")
    assert entries["张二"].photo.name.endswith(".png")
    with entries["张一"].photo.open("rb") as stored:
        assert Image.open(stored).size == (30, 40)
    assert not entries["张三"].photo
    assert audit_events_for(plan).get(action="roster_photos").note == "已关联 2 张照片。"


def test_r_k3_a_new_photo_replaces_the_old_one(alice, plan):
    roster_services.roster_photos_attach(
        plan=plan, actor=alice, data=zip_of({f"{id_number(1)}.jpg": jpeg((0, 0, 0))})
    )
    entry = plan.roster.get(seq=1)
    old_name = entry.photo.name
    storage = entry.photo.storage
    roster_services.roster_photos_attach(
        plan=plan, actor=alice, data=zip_of({f"{id_number(1)}.jpg": jpeg((255, 255, 255))})
    )
    entry.refresh_from_db()
    assert entry.photo.name != old_name
    assert storage.exists(entry.photo.name)


def test_r_k3_two_photos_for_one_person_keep_the_first():
    found, rejected = photos.read_photo_zip(
        zip_of({f"{id_number(1)}.jpg": jpeg(), f"{id_number(1)}.png": png()})
    )
    assert list(found) == [id_number(1)]
    assert rejected == [
        (f"{id_number(1)}.png", f"另一张照片 {id_number(1)}.jpg 的证件号与之相同。")
    ]


def test_r_k3_a_file_that_is_not_a_zip_is_refused(client, alice, plan):
    client.force_login(alice)
    text = attach(client, plan, jpeg()).content.decode()
    assert "该文件不是 ZIP 压缩包，请把照片打包成 .zip 文件。" in text


def test_r_k3_too_many_entries_are_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(photos, "MAX_ENTRIES", 2)
    data = zip_of({f"{n}.jpg": b"x" for n in range(3)})
    with pytest.raises(photos.PhotoZipError, match="该文件含 3 个条目，最多允许 2 个。"):
        photos.read_photo_zip(data)


def test_r_k3_a_zip_that_unpacks_too_big_is_refused_before_unpacking(monkeypatch):
    monkeypatch.setattr(photos, "MAX_UNCOMPRESSED_BYTES", 10_000)
    data = zip_of({"a.jpg": b"\0" * 20_000})  # compresses to a few bytes
    with pytest.raises(photos.PhotoZipError, match="该文件解压后为"):
        photos.read_photo_zip(data)


def test_r_k3_an_oversized_photo_is_left_out(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 100)
    found, rejected = photos.read_photo_zip(zip_of({f"{id_number(1)}.jpg": jpeg()}))
    assert found == {}
    assert rejected[0][1].startswith("照片大小为")


def test_r_k3_a_damaged_image_is_left_out():
    broken = jpeg()[:200]
    found, rejected = photos.read_photo_zip(zip_of({f"{id_number(1)}.jpg": broken}))
    assert found == {}
    assert rejected == [(f"{id_number(1)}.jpg", "该照片无法作为图片读取。")]


def test_r_k3_gbk_file_names_from_chinese_windows_tools_are_read():
    # Such tools write the names in GBK without the UTF-8 flag; zipfile would show cp437.
    gbk_name = "合影.jpg".encode("gbk")
    placeholder = b"abcd.jpg"
    assert len(gbk_name) == len(placeholder)
    data = zip_of({placeholder.decode(): jpeg()}).replace(placeholder, gbk_name)
    found, rejected = photos.read_photo_zip(data)
    assert rejected == []
    assert [photo.member for photo in found.values()] == ["合影.jpg"]


def test_r_k3_photos_only_while_the_plan_is_editable(alice, ent_a):
    plan = PlanFactory(enterprise=ent_a, status="submitted")
    with pytest.raises(ServiceError, match="不能修改人员名册"):
        roster_services.roster_photos_attach(plan=plan, actor=alice, data=zip_of({}))


def test_r_k3_the_roster_page_says_who_has_no_photo(client, alice, plan):
    client.force_login(alice)
    roster_services.roster_photos_attach(
        plan=plan, actor=alice, data=zip_of({f"{id_number(1)}.jpg": jpeg()})
    )
    text = client.get(reverse("roster_detail", args=[plan.pk])).content.decode()
    assert "<b>2</b> 人缺少照片" in text
