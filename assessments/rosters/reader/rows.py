"""The checks of one row that need nothing but the row (R-P5, GB 11643, R-P3 categories)."""

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from stdnum.cn import ric

from assessments.rosters.reader.format import (
    CATEGORY_LABELS,
    COLUMN_OF,
    COLUMNS,
    MAX_LENGTH,
    REQUIRED,
    SPACES,
    RosterRow,
    blank,
    header_key,
    level_text,
)

_LEVEL_WORDS = {
    "五级": 5,
    "初级工": 5,
    "初级": 5,
    "四级": 4,
    "中级工": 4,
    "中级": 4,
    "三级": 3,
    "高级工": 3,
    "二级": 2,
    "技师": 2,
    "一级": 1,
    "高级技师": 1,
}
_CATEGORY_WORDS = (
    {label: value for value, label in CATEGORY_LABELS.items()}
    | {value: value for value in CATEGORY_LABELS}
    | {
        "本企业员工": "employee",
        "关联企业员工": "affiliated",
        "劳务派遣": "dispatched",
        "派遣人员": "dispatched",
        "派遣": "dispatched",
        "学生": "student",
        "校企合作": "student",
        "劳务外包": "outsourced",
        "外包人员": "outsourced",
        "委托评价": "entrusted",
        "社会考生": "public",
        "社会学员": "public",
        "本院校学生": "college",
        "本校学生": "college",
    }
)
_YES = {"是", "Y", "YES", "TRUE", "1"}
_NO = {"否", "N", "NO", "FALSE", "0"}
_NO_WORK_TYPE = {"", "无", "--", "-", "—", "——", "/", "不适用"}
# ID types whose numbers follow GB 11643 (the residence permit of Hong Kong, Macao and Taiwan
# residents uses the same structure).
_GB11643_TYPES = {"居民身份证", "港澳台居民居住证"}
_ID_TYPE_ALIASES = {
    "身份证": "居民身份证",
    "二代身份证": "居民身份证",
    "居民身份证号": "居民身份证",
}
_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")
OCCUPATION_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
_DATE_TEXT = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_email_validator = EmailValidator()


def cell_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    return str(value).strip()


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def check_row(
    row: RosterRow,
    has_category: bool,
    level_names: Mapping[str, int] | None = None,
    *,
    social_org: bool = False,
) -> None:
    """`level_names`: the scheme's own levels (R-S4); `social_org`: the roster of a social
    training evaluation organisation (R-M7), whose examinees are members of the public unless
    the row says otherwise."""
    raw = dict(zip([key for key, _header in COLUMNS] + ["category"], row.cells, strict=False))
    values = row.values
    for key in (
        "institution_code",
        "institution_name",
        "name",
        "employer",
        "years_in_occupation",
        "position",
        "occupation_name",
        "certificate_number",
    ):
        values[key] = cell_text(raw[key])
    values["id_type"] = _ID_TYPE_ALIASES.get(cell_text(raw["id_type"]), cell_text(raw["id_type"]))
    values["occupation_code"] = _fold(cell_text(raw["occupation_code"])).replace(" ", "")
    work_type = cell_text(raw["work_type_name"])
    values["work_type_name"] = "" if work_type in _NO_WORK_TYPE else work_type
    for key in REQUIRED:
        if blank(raw[key]):
            # R-P5
            row.add(key, _("Required."))
    for key, limit in MAX_LENGTH.items():
        value = values.get(key)
        if value and len(value) > limit:
            row.add(
                key,
                _("%(length)s characters; at most %(limit)s are allowed.")
                % {"length": len(value), "limit": limit},
            )
    _check_id(row, raw["id_number"])
    _check_sex_and_birth(row, raw["sex"], raw["birth_date"])
    _check_phone(row, raw["phone"])
    email = _fold(cell_text(raw["email"]))
    values["email"] = email
    if email:
        try:
            _email_validator(email)
        except ValidationError:
            row.add("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
    values["is_employee"] = _yes_no(row, raw["is_employee"])
    if values["is_employee"] is False and not values["employer"] and not social_org:
        row.add(
            "employer",
            # R-P3
            _("Required when 是否本企业职工 is 否: name the unit the examinee works for."),
            "R-P3",
        )
    values["hired_on"] = _date(row, "hired_on", raw["hired_on"])
    values["issued_on"] = _date(row, "issued_on", raw["issued_on"])
    _check_dates_after_birth(row)
    code = values["occupation_code"]
    if code and not OCCUPATION_CODE.match(code):
        row.add(
            "occupation_code",
            _(
                "“%(value)s” is not an occupation code of the national classification (like "
                "6-18-01-01)."
            )
            % {"value": code},
        )
    values["level"], values["enterprise_level"] = _level(row, raw["level"], level_names or {})
    _check_category(row, raw.get("category", "") if has_category else "", social_org)


def _check_dates_after_birth(row: RosterRow) -> None:
    """Issue 16: an entry or issue date before the examinee was born is a typing mistake."""
    values = row.values
    birth = values.get("birth_date")
    if birth is None:
        return
    for key in ("hired_on", "issued_on"):
        day = values.get(key)
        if day is not None and day <= birth:
            row.add(
                key,
                _("%(date)s is not after the date of birth (%(birth)s).")
                % {"date": day.isoformat(), "birth": birth.isoformat()},
            )


def _check_id(row: RosterRow, value) -> None:
    values = row.values
    values["id_number"] = ""
    if blank(value):
        return
    if isinstance(value, int | float) and not isinstance(value, bool):
        row.add(
            "id_number",
            _(
                "Stored as a number, so Excel has already lost its last digits (it keeps 15 "
                "significant digits). Format the column as text and type the ID numbers again."
            ),
        )
        return
    if isinstance(value, dt.date):
        row.add("id_number", _("Stored as a date, not as an ID number."))
        return
    number = SPACES.sub("", _fold(str(value))).lstrip("'").upper()  # a typed x becomes X
    values["id_number"] = number
    if values["id_type"] not in _GB11643_TYPES:
        return
    if len(number) != 18:
        row.add(
            "id_number",
            _("A resident ID number has 18 characters (GB 11643); this one has %(length)s.")
            % {"length": len(number)},
        )
        return
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        row.add(
            "id_number",
            _(
                "The first 17 characters of a resident ID number are digits and the last is a "
                "digit or X (GB 11643)."
            ),
        )
        return
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        row.add(
            "id_number",
            _("Digits 7–14 (%(digits)s) are not a valid date of birth (GB 11643).")
            % {"digits": number[6:14]},
        )
        return
    if ric.calc_check_digit(number) != number[17]:
        row.add(
            "id_number",
            _(
                "The check character (the last one) does not match the first 17 digits "
                "(GB 11643): the number is mistyped."
            ),
        )


def _id_facts(row: RosterRow) -> tuple[dt.date, str] | None:
    """Birth date and sex of a valid GB 11643 number, or None."""
    number = row.values["id_number"]
    if row.values["id_type"] not in _GB11643_TYPES or any(
        p.header == COLUMN_OF["id_number"] for p in row.problems
    ):
        return None
    if len(number) != 18:
        return None
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return birth, "男" if int(number[16]) % 2 else "女"


def _check_sex_and_birth(row: RosterRow, sex_value, birth_value) -> None:
    sex = cell_text(sex_value)
    row.values["sex"] = sex
    if sex and sex not in ("男", "女"):
        row.add("sex", _("Must be 男 or 女."))
    birth = _date(row, "birth_date", birth_value)
    row.values["birth_date"] = birth
    facts = _id_facts(row)
    if facts is None:
        return
    id_birth, id_sex = facts
    if sex in ("男", "女") and sex != id_sex:
        row.add(
            "sex",
            _("%(sex)s does not match the ID number, whose 17th digit says %(expected)s.")
            % {"sex": sex, "expected": id_sex},
        )
    if birth is not None and birth != id_birth:
        row.add(
            "birth_date",
            _("%(date)s does not match the date of birth in the ID number (%(expected)s).")
            % {"date": birth.isoformat(), "expected": id_birth.isoformat()},
        )


def _check_phone(row: RosterRow, value) -> None:
    phone = SPACES.sub("", _fold(cell_text(value)))
    compact = phone.replace("-", "")
    if _MOBILE.match(compact):
        phone = compact[-11:]
    elif phone and not _LANDLINE.match(phone):
        row.add(
            "phone",
            _(
                "“%(value)s” is not a phone number: an 11-digit mobile number starting with 1, "
                "or a landline with its area code such as 0755-12345678."
            )
            % {"value": phone},
        )
    row.values["phone"] = phone


def _yes_no(row: RosterRow, value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _fold(cell_text(value)).upper()
    if text in _YES:
        return True
    if text in _NO:
        return False
    if text:
        row.add("is_employee", _("Must be 是 or 否."))
    return None


def parse_date(value) -> dt.date | None:
    """An Excel date, or text like 2018-01-01, 2018/1/1, 2018.1.1, 2018年1月1日, 20180101."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool) or not isinstance(value, str):
        return None
    text = SPACES.sub("", _fold(value))
    for pattern in _DATE_TEXT:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def _date(row: RosterRow, key: str, value) -> dt.date | None:
    if blank(value):
        return None
    day = parse_date(value)
    if day is None:
        row.add(
            key,
            _(
                "“%(value)s” is not a date; write it like 2018-01-01, 2018/1/1 or 2018年1月1日, "
                "or use an Excel date."
            )
            % {"value": cell_text(value)},
        )
    return day


def parse_level(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() and 1 <= value <= 5 else None
    text = SPACES.sub("", _fold(str(value)))
    if text.isdigit() and 1 <= int(text) <= 5:
        return int(text)
    if text.endswith("级") and text[:-1].isdigit():
        return parse_level(text[:-1])
    levels = {_LEVEL_WORDS.get(part) for part in re.split(r"[/、()]", text) if part}
    if len(levels) == 1 and None not in levels:
        return levels.pop()
    # 三级高级工: the number word and the name written together.
    head, rest = _LEVEL_WORDS.get(text[:2]), text[2:]
    if head is not None and text[:2].endswith("级") and _LEVEL_WORDS.get(rest) == head:
        return head
    return None


_WITH_TITLE = re.compile(r"^(.+?)\(企业等级:(.+)\)$")


def parse_enterprise_level(value, level_names: Mapping[str, int]) -> tuple[int, str] | None:
    """R-S4: (national level, the scheme's own name) for a cell naming one of the scheme's own
    levels: 特级技师, or with its national level as the portal writes it, 一级/高级技师（企业等级：
    特级技师）, or 特级技师（一级）. None when the cell names none of them."""
    names = {header_key(name): (level, name) for name, level in level_names.items()}
    text = header_key(cell_text(value))
    if text in names:
        return names[text]
    match = _WITH_TITLE.match(text)
    if match:
        national, found = parse_level(match[1]), names.get(match[2])
        return found if found and found[0] == national else None
    parts = [part for part in re.split(r"[/、()]", text) if part]
    titles = [names[part] for part in parts if part in names]
    if len(titles) != 1 or len(parts) < 2:
        return None
    level, name = titles[0]
    rest = [parse_level(part) for part in parts if part not in names]
    return (level, name) if all(found == level for found in rest) else None


def _level(row: RosterRow, value, level_names: Mapping[str, int]) -> tuple[int | None, str]:
    if blank(value):
        return None, ""
    level = parse_level(value)
    if level is None and level_names:
        found = parse_enterprise_level(value, level_names)
        if found is not None:
            return found
        row.add(
            "level",
            _(
                "“%(value)s” is neither a national skill level (五级/初级工, 四级/中级工, "
                "三级/高级工, 二级/技师, 一级/高级技师) nor one of the levels this plan's "
                "evaluation scheme defines: %(names)s."
            )
            % {
                "value": cell_text(value),
                "names": "、".join(
                    f"{name}（{level_text(level)}）"
                    for name, level in sorted(level_names.items(), key=lambda item: item[1])
                ),
            },
        )
        return None, ""
    if level is None:
        row.add(
            "level",
            _(
                "“%(value)s” is not a skill level: write 五级/初级工, 四级/中级工, 三级/高级工, "
                "二级/技师 or 一级/高级技师."
            )
            % {"value": cell_text(value)},
        )
    return level, ""


def _check_category(row: RosterRow, value, social_org: bool = False) -> None:
    text = SPACES.sub("", _fold(cell_text(value)))
    is_employee = row.values["is_employee"]
    category = _CATEGORY_WORDS.get(text) if text else None
    if social_org and not text:
        category = "public"
    elif text and category is None:
        row.add(
            "category",
            _("“%(value)s” is not an examinee category; write one of: %(choices)s.")
            % {"value": text, "choices": "、".join(CATEGORY_LABELS.values())},
            "R-P3",
        )
    elif not text and is_employee is False:
        row.add(
            "category",
            _(
                # R-P3
                "Required when 是否本企业职工 is 否: say whether the examinee is a "
                "dispatched worker, an employee of an affiliated enterprise, …; if the file lacks "
                "the column 人员类别, add it after 发证日期."
            ),
            "R-P3",
        )
    elif not text:
        category = "employee"
    if category == "employee" and is_employee is False:
        row.add(
            "category",
            # R-P3
            _("本企业职工 contradicts 是否本企业职工 = 否."),
            "R-P3",
        )
    row.values["category"] = category
