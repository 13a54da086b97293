"""The shapes of the scale data: words, proportions and well-formed numbers (seed.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from stdnum.cn import ric, uscc

from filings.models import FilingStatus
from portal.core.models import Bureau

# Credit codes 91440300MA7nnnnnn + check: a range seed_demo and the factories do not use.
CREDIT_BODY = "91440300MA7"
OCCUPATIONS_CSV = Path(settings.BASE_DIR) / "filings" / "data" / "occupations-sample.csv"

PROVINCE = ("44", "广东省人力资源和社会保障厅", "广东省")
CITY = ("4403", "深圳市职业技能鉴定指导中心", "深圳市")
# Every district of the city, weighted by where its enterprises are (Bao'an and Longgang hold
# the most industry). 440305 and 440304 are the demo's districts, named as seed_demo names them.
DISTRICTS = (
    ("440303", "罗湖区", 6),
    ("440304", "福田区", 9),
    ("440305", "南山区", 14),
    ("440306", "宝安区", 24),
    ("440307", "龙岗区", 20),
    ("440308", "盐田区", 2),
    ("440309", "龙华区", 13),
    ("440310", "坪山区", 5),
    ("440311", "光明区", 7),
)

# What an active enterprise has filed (the last filing's status); None: registered only.
FILING_MIX = (
    (FilingStatus.APPROVED, 58),
    (FilingStatus.DRAFT, 7),
    (FilingStatus.DISTRICT_REVIEW, 7),
    (FilingStatus.CITY_REVIEW, 6),
    (FilingStatus.EXPERT_REVIEW, 3),
    (FilingStatus.RETURNED, 4),
    (FilingStatus.REJECTED, 5),
    (FilingStatus.REMOVED, 3),
    (FilingStatus.CANCELLED, 1),
    (None, 6),
)
DECIDED = (FilingStatus.APPROVED, FilingStatus.REMOVED, FilingStatus.CANCELLED)
REFILING_SHARE = 0.08  # filed enterprises filing again for another occupation (R-F9)
ISSUER_SHARE = 0.88  # filed enterprises with a scheme that have issued certificates
IN_PROGRESS_SHARE = 0.25  # filed enterprises with a plan under way
PASS_RATE = (0.88, 0.98)
REVOKED_SHARE = 0.003
REPLACED_SHARE = 0.002
PLAN_SIZE = (20, 400)  # certificates per issue batch
CITY_ADMINISTERED_SHARE = 0.015
PILOT_SHARE = 0.05

SYLLABLES = "华信达创新科技鑫源泰丰宏盛安康恒远鹏程金瑞德嘉明辉兴旺联合中海东方天宇光正通伟业博雅海"
INDUSTRIES = (
    "精密机械",
    "电子科技",
    "智能装备",
    "新能源汽车零部件",
    "医疗器械",
    "物流",
    "新型建材",
    "食品",
    "服装",
    "家具制造",
    "通信设备",
    "半导体",
    "光电",
    "精细化工",
    "印刷包装",
    "电力工程",
    "建筑工程",
    "物业管理",
    "餐饮管理",
    "养老服务",
    "酒店管理",
    "汽车销售服务",
    "模具",
    "五金制品",
    "塑胶制品",
    "电池",
    "钟表",
    "珠宝首饰",
    "生物医药",
    "环保科技",
    "供应链管理",
    "轨道交通运营",
    "港口服务",
    "软件",
    "机器人",
    "数控设备",
    "照明",
    "家用电器",
    "电线电缆",
    "工业自动化",
)
FORMS = ("有限公司", "股份有限公司", "集团有限公司", "实业有限公司")
STREETS = (
    "科技园路",
    "工业大道",
    "创业路",
    "高新南路",
    "宝安大道",
    "龙岗大道",
    "观澜大道",
    "沙河西路",
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志海玲红梅波宇浩然子涵欣怡晨阳"
# Real county codes, where Shenzhen's workforce comes from (GB/T 2260).
REGIONS = (
    "440303",
    "440304",
    "440305",
    "440306",
    "440307",
    "430102",
    "430104",
    "360426",
    "450103",
    "510104",
    "420106",
    "441481",
)
MOBILE_PREFIXES = ("135", "138", "139", "150", "158", "186", "188", "199", "177", "133")
POSITIONS = ("操作工", "技术员", "班组长", "维修工", "质检员", "装配工", "设备管理员")
SCOPES = (
    "电子产品、通信设备的研发、生产和销售",
    "精密零部件、自动化设备的研发、生产和销售",
    "道路货物运输、仓储服务、供应链管理",
    "餐饮服务、食品加工与配送",
    "医疗器械的研发、生产和销售",
    "建筑工程施工、机电设备安装",
)
FAIL_REASONS = ("实操成绩未达合格线", "理论成绩未达合格线", "安全生产一票否决")
REVOKE_REASONS = ("经核查存在替考行为，证书依规撤销。", "申报材料不实，证书依规撤销。")
REPLACE_REASONS = (("reissue", "证书遗失，申请补办。"), ("correction", "姓名录入有误，申请更正。"))

_EPOCH = dt.date(1966, 1, 1)
_BIRTH_DAYS = 14_000  # born 1966 … 2004: 18 to 60 at the assessment
ID_SPACE = len(REGIONS) * _BIRTH_DAYS * 1000
_ID_STEP = 1_000_003  # prime, coprime with ID_SPACE: i ↦ i·step mod space is a permutation


def id_number(index: int, offset: int) -> tuple[str, dt.date, str]:
    """The index-th ID number of the load (distinct for distinct indexes): number, birth, sex."""
    x = (index * _ID_STEP + offset) % ID_SPACE
    x, region = divmod(x, len(REGIONS))
    day, seq = divmod(x, 1000)
    born = _EPOCH + dt.timedelta(days=day)
    body = f"{REGIONS[region]}{born:%Y%m%d}{seq:03d}"
    number = body + ric.calc_check_digit(body + "0")
    return number, born, "男" if seq % 2 else "女"


def credit_code(index: int) -> str:
    body = f"{CREDIT_BODY}{index:06d}"
    return body + uscc.calc_check_digit(body + "0")


def add_weekdays(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


@dataclass
class Ent:
    pk: int
    index: int
    name: str
    district: Bureau
    operator: int
    status: str
    city_administered: bool
    pilot: bool
    created: dt.datetime
    # (scheme pk, occupation code, occupation name, work type name, levels, approved on) of
    # its approved schemes
    schemes: list = field(default_factory=list)
    approved_on: dt.date | None = None
    active_until: dt.date | None = None  # the last day it may issue (filing valid, no sanction)
    prefix: str = ""
    serials: dict = field(default_factory=dict)  # (year, level) → last serial
