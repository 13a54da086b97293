"""portal.core.uploads: a ZIP (an .xlsx is one) is judged from its directory before anything
is unpacked, every entry is inflated by a bounded reader that refuses a lying directory, and a
workbook's XML parts are scanned for DOCTYPE and ENTITY before any parser reads them."""

import io
import random
import zipfile
import zlib

import pytest
from defusedxml import DTDForbidden, EntitiesForbidden
from defusedxml import ElementTree as SafeTree

from portal.core import uploads
from portal.core.uploads import (
    CHUNK_BYTES,
    UploadRefused,
    XlsxPackage,
    ZipLimits,
    ZipPackage,
    check_xlsx,
    unsafe_name,
)
from tests.assessments.factories import hand_xlsx, roster_xlsx
from tests.core.xlsx_payloads import (
    SHEET,
    billion_laughs_xlsx,
    external_entity_xlsx,
    forge_declared_size,
    rebuild,
    with_entries,
    with_part,
    zip_of,
)

FIELD = "人员名册（.xlsx）"
LIMITS = ZipLimits(entries=50, unpacked_bytes=20 * 1024 * 1024, ratio=100)

pytestmark = pytest.mark.usefixtures("zh")


@pytest.fixture
def zh():
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


def refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(UploadRefused) as refused:
        check_xlsx(data, field=FIELD, **kwargs)
    return refused.value.message


# The workbooks users send are accepted --------------------------------------------------------


def test_a_real_roster_passes_every_check_and_every_part_is_scanned():
    data = roster_xlsx(20)
    package = check_xlsx(data, field=FIELD)
    names = {info.filename for info in package.members}
    assert names == package._scanned  # nothing left unread
    assert {"[Content_Types].xml", "xl/workbook.xml", SHEET} <= names


def test_the_bounded_reader_gives_exactly_what_zipfile_gives():
    data = roster_xlsx(300)
    package = ZipPackage(data, field=FIELD)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in package.members:
            assert package.read(info) == archive.read(info)


def test_a_stored_entry_and_an_entry_larger_than_a_chunk_are_read_whole():
    big = b"<row/>" * (CHUNK_BYTES // 3)  # two chunks and a bit
    stored = zip_of({"a.bin": big, "b.bin": b"plain"}, method=zipfile.ZIP_STORED)
    package = ZipPackage(stored, field=FIELD)
    assert [package.read(info) for info in package.members] == [big, b"plain"]


# The directory, before anything is unpacked ---------------------------------------------------


def test_too_many_entries_are_refused_from_the_end_record_before_zipfile_reads_them(
    monkeypatch, settings
):
    settings.UPLOAD_ZIP_MAX_ENTRIES = 10
    data = hand_xlsx({1: ["序号"]}, extra_parts=10)

    def no_zipfile(*args, **kwargs):
        raise AssertionError("zipfile read the directory")

    monkeypatch.setattr(uploads.zipfile, "ZipFile", no_zipfile)
    assert refusal(data) == (
        "人员名册（.xlsx）：该文件含 16 个条目，最多允许 10 个。出于安全考虑拒绝接收。"
    )


def test_a_zip_bomb_is_refused_by_its_declared_size(settings):
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024
    bomb = with_entries(roster_xlsx(2), {"xl/media/zeros.bin": b"\0" * (5 * 1024 * 1024)})
    assert len(bomb) < 100_000  # five megabytes of zeros pack to a few kilobytes
    message = refusal(bomb)
    assert message.startswith("人员名册（.xlsx）：该文件解压后为 5.0")
    assert "最多允许 4.0\xa0MB。出于安全考虑拒绝接收。" in message


def test_an_entry_packed_a_thousand_times_is_refused_as_a_zip_bomb():
    data = zip_of({"xl/media/zeros.bin": b"\0" * (2 * 1024 * 1024)})
    with pytest.raises(UploadRefused) as refused:
        ZipPackage(data, field="照片压缩包（ZIP）", limits=LIMITS)
    assert "条目 xl/media/zeros.bin 解压后是压缩大小的" in refused.value.message
    assert "最多允许 100 倍（疑似压缩炸弹）" in refused.value.message


def test_a_small_entry_may_pack_well():
    # A 2 KB empty sheet packs fifty times: under the grace size the ratio is not a sign.
    ZipPackage(zip_of({"a.xml": b" " * 100_000}), field=FIELD, limits=LIMITS)


@pytest.mark.parametrize(
    "name",
    ["/etc/cron.d/x", "../../x.jpg", "照片/../../x.jpg", "a\\..\\..\\x.jpg", "C:/x.jpg", "\\x"],
)
def test_absolute_names_and_names_climbing_out_are_refused(name):
    assert unsafe_name(name)
    data = zip_of({"ok.jpg": b"x", name: b"x"})
    with pytest.raises(UploadRefused, match="是绝对路径或含“..”"):
        ZipPackage(data, field=FIELD, limits=LIMITS)


def test_ordinary_names_are_not_taken_for_unsafe_ones():
    for name in ["照片/110105194912310021.jpg", "a..b.jpg", "xl/worksheets/sheet1.xml", "..x"]:
        assert not unsafe_name(name)


def test_an_entry_given_twice_is_refused():
    # zipfile reads the last of the two, another parser may read the first.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(SHEET, b"<worksheet/>")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr(SHEET, b"<worksheet/>")
    with pytest.raises(UploadRefused, match=f"条目 {SHEET} 在文件中出现了两次"):
        ZipPackage(buffer.getvalue(), field=FIELD, limits=LIMITS)


def test_an_encrypted_entry_is_refused():
    data = bytearray(zip_of({"a.xml": b"<a/>"}))
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the "encrypted" flag of the directory entry
    with pytest.raises(UploadRefused, match="已加密或使用了本系统不支持的压缩方式"):
        ZipPackage(bytes(data), field=FIELD, limits=LIMITS)


def test_a_file_that_is_not_a_zip_is_refused():
    for data in [b"", b"name,id\n", b"%PDF-1.4\n", b"PK\x05\x06" + b"\0" * 10]:
        with pytest.raises(UploadRefused, match="该文件不是 ZIP 压缩包"):
            ZipPackage(data, field=FIELD, limits=LIMITS)


# The bounded reader ----------------------------------------------------------------------------


def test_an_entry_unpacking_to_more_than_it_declares_is_refused():
    payload = b"<row/>" * 400_000  # 2.4 MB, declared as 1,000 bytes
    data = forge_declared_size(zip_of({"a.xml": payload}), "a.xml", 1000)
    package = ZipPackage(data, field=FIELD, limits=LIMITS)
    (info,) = package.members
    assert info.file_size == 1000  # the directory passed: it declares 1,000 bytes
    produced = 0
    with pytest.raises(UploadRefused, match="解压后的内容与文件目录中声明的不符"):
        for chunk in package.iter_member(info):
            produced += len(chunk)
    assert produced <= CHUNK_BYTES  # stopped after the first chunk, not at 2.4 MB


def test_an_entry_unpacking_to_less_or_damaged_is_refused():
    data = forge_declared_size(zip_of({"a.xml": b"<a/>" * 100}), "a.xml", 10_000)
    package = ZipPackage(data, field=FIELD, limits=LIMITS)
    with pytest.raises(UploadRefused, match="文件已损坏或被篡改"):
        package.read(package.members[0])
    broken = bytearray(zip_of({"a.xml": bytes(range(256)) * 50}))
    broken[40:60] = b"\xff" * 20  # inside the deflate stream
    package = ZipPackage(bytes(broken), field=FIELD, limits=LIMITS)
    with pytest.raises(UploadRefused, match="文件已损坏或被篡改"):
        package.read(package.members[0])


def test_the_inflater_never_produces_much_past_the_limit():
    raw = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    stream = raw.compress(b"\0" * (50 * CHUNK_BYTES)) + raw.flush()
    chunks = list(uploads._inflate(memoryview(stream), limit=10))
    assert sum(len(chunk) for chunk in chunks) <= CHUNK_BYTES


# Workbooks: required parts, DTDs, encodings --------------------------------------------------


@pytest.mark.parametrize(
    "missing", ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
)
def test_a_workbook_without_its_required_parts_is_refused(missing):
    data = rebuild(roster_xlsx(2), lambda name, content: None if name == missing else content)
    assert refusal(data) == (
        f"人员名册（.xlsx）：该文件不是 Excel 工作簿（.xlsx），缺少部件 {missing}。"
    )


def test_the_billion_laughs_workbook_is_refused_and_is_a_real_one():
    data = billion_laughs_xlsx()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    assert sheet.count(b"<!ENTITY") == 10 and b"&lol9;" in sheet
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        SafeTree.fromstring(sheet)  # the part really declares the entities
    assert refusal(data) == (
        f"人员名册（.xlsx）：部件 {SHEET} 含有 DOCTYPE 或 ENTITY 声明（XML 炸弹或外部实体），"
        "Excel 从不写入此类声明。出于安全考虑拒绝接收。"
    )


def test_the_external_entity_workbook_is_refused():
    data = external_entity_xlsx()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    assert b'SYSTEM "file:///etc/passwd"' in sheet and b"&xxe;" in sheet
    assert "含有 DOCTYPE 或 ENTITY 声明" in refusal(data)


@pytest.mark.parametrize(
    "part", ["[Content_Types].xml", "xl/workbook.xml", "docProps/core.xml", "xl/styles.xml"]
)
def test_a_dtd_in_any_part_is_refused(part):
    dtd = b'<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>'
    data = with_part(roster_xlsx(2), part, lambda content: dtd + content.split(b"?>", 1)[-1])
    assert f"部件 {part} 含有 DOCTYPE 或 ENTITY 声明" in refusal(data)


def test_a_lower_case_or_bare_entity_declaration_is_refused():
    for dtd in [b"<!doctype worksheet>", b'<!ENTITY e "x">']:
        data = with_part(roster_xlsx(2), SHEET, lambda content, dtd=dtd: dtd + content)
        assert "含有 DOCTYPE 或 ENTITY 声明" in refusal(data)


def test_a_doctype_cut_between_two_chunks_is_still_seen():
    noise = random.Random(6).randbytes(CHUNK_BYTES).hex().encode()[: CHUNK_BYTES - 12]
    filler = b"<!-- " + noise + b" -->"  # does not pack like a bomb
    assert len(filler) == CHUNK_BYTES - 3
    sheet = filler + b"<!DOCTYPE worksheet []><worksheet/>"  # "<!D" | "OCTYPE"
    data = with_part(roster_xlsx(2), SHEET, lambda content: sheet)
    assert "含有 DOCTYPE 或 ENTITY 声明" in refusal(data)


def test_comments_and_cdata_are_not_dtds():
    sheet = with_part(
        roster_xlsx(2),
        SHEET,
        lambda content: b"<!-- written by hand --><![CDATA[x]]>" + content,
    )
    check_xlsx(sheet, field=FIELD)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-16"),  # with its byte-order mark
        lambda text: text.encode("utf-16-le"),  # without one: <\0?\0
        lambda text: text.encode("utf-32"),
        lambda text: text.replace("UTF-8", "UTF-7").encode(),
        lambda text: text.replace("UTF-8", "UTF-16").encode(),
    ],
)
def test_a_part_not_in_utf8_is_refused_since_it_could_hide_a_dtd(encode):
    text = '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x><worksheet/>'
    data = with_part(roster_xlsx(2), SHEET, lambda content: encode(text))
    assert f"部件 {SHEET} 不是 UTF-8 编码的 XML" in refusal(data)


def test_media_parts_are_not_taken_for_xml_in_another_encoding():
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 64
    data = with_entries(
        roster_xlsx(2),
        {
            "xl/media/image1.png": png,
            "xl/media/image2.jpeg": jpeg,
            "xl/printerSettings/printerSettings1.bin": "HP LaserJet".encode("utf-16-le"),
        },
    )
    check_xlsx(data, field=FIELD)


def test_reading_a_part_scans_it_first():
    package = XlsxPackage(external_entity_xlsx(), field=FIELD)
    assert package.read_part("xl/workbook.xml").startswith(b"<")
    with pytest.raises(UploadRefused, match="含有 DOCTYPE 或 ENTITY 声明"):
        package.read_part(SHEET)


def test_the_photo_zip_uses_the_same_checks():
    from assessments.rosters import photos

    with pytest.raises(photos.PhotoZipError, match="是绝对路径或含“..”"):
        photos.read_photo_zip(zip_of({"../110105194912310021.jpg": b"\xff\xd8\xff"}))
    lying = forge_declared_size(zip_of({"a.jpg": b"\0" * 100_000}), "a.jpg", 100)
    with pytest.raises(photos.PhotoZipError, match="解压后的内容与文件目录中声明的不符"):
        photos.read_photo_zip(lying)
