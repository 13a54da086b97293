"""Where each rule the portal applies comes from: its plain title, and the passages of the
notices (seeds/ of the domain notes) it rests on, quoted in the original Chinese. A reviewer opens
it from the 依据 link next to a problem (/rules/<rule id>/); the user-facing texts themselves never
cite rule ids."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Notice:
    name: str  # the official title, as issued
    issuer: str
    number: str = ""  # 发文字号, where the notice has one
    year: int | None = None


@dataclass(frozen=True)
class Passage:
    notice: str  # a key of NOTICES
    section: str  # as the notice numbers it
    text: str  # quoted verbatim


@dataclass(frozen=True)
class RuleSource:
    rule: str
    title: Promise
    passages: tuple[Passage, ...] = ()
    note: Promise | str = ""  # where no notice states the rule in words


NOTICES = {
    "000": Notice(
        "深圳市坪山区人力资源局关于在我区开展企业职业技能等级认定试点工作的通知",
        "深圳市坪山区人力资源局",
        year=2021,
    ),
    "001": Notice(
        "关于我市开展企业职业技能等级认定工作的通知（征求意见稿）",
        "深圳市职业技能鉴定指导办公室（深圳市人力资源和社会保障局）",
    ),
    "002": Notice(
        "北京市人力资源和社会保障局关于全面推进职业技能等级认定工作的通知",
        "北京市人力资源和社会保障局",
        "京人社职鉴发〔2020〕3号",
        2020,
    ),
    "003": Notice(
        "佛山市人力资源和社会保障局关于印发佛山市职业技能等级认定工作方案的通知",
        "佛山市人力资源和社会保障局",
        year=2020,
    ),
    "004": Notice(
        "山东省人力资源和社会保障厅关于全面开展企业技能人才自主评价工作的通知"
        "（泰安市人力资源和社会保障局转发）",
        "山东省人力资源和社会保障厅",
        "鲁人社字〔2020〕20号",
        2020,
    ),
}


def _p(notice: str, section: str, text: str) -> Passage:
    return Passage(notice, section, text)


_SOURCES = [
    RuleSource(
        "R-F1",
        _("Which enterprises may file"),
        (
            _p(
                "001",
                "一（1）（2）",
                "在我市依法注册、合法经营，具备独立法人资格，管理规范、信用良好，经营范围不包含"
                "培训、评价或咨询等业务；（2）在我市参保的职工人数在300人以上；",
            ),
            _p(
                "003",
                "一（一）（二）",
                "在我市依法注册、合法经营、管理规范、信用良好,具有独立法人资格的中型及以上企业"
                "(按国家统计局《统计上大中小微型企业划分办法》国统字〔2017〕213号)。主营业务不包含"
                "培训、评价或咨询等业务;",
            ),
            _p(
                "002",
                "一（一）",
                "在本市行政区域内依法注册,具有独立法人资格,企业主营业务符合《北京城市总体规划"
                "(2016年-2035年)》要求,具有健全的管理制度和良好的企业信用;",
            ),
        ),
    ),
    RuleSource(
        "R-F2",
        _("What each filed occupation needs: workstations, examiners, applicants"),
        (
            _p("001", "一（三）", "每个职业（工种）不少于10个工位；"),
            _p("001", "一（六）", "每个职业（工种）不少于3名考评人员。"),
            _p(
                "001",
                "二（三）（四）",
                "申报同一职业技能等级认定的职工人数较多，原则上不少于50人；（四）不在国家职业资格"
                "目录内。",
            ),
        ),
    ),
    RuleSource(
        "R-F3",
        _("What a line of the filing scope holds: occupation, work type, levels, standard"),
        (
            _p(
                "004",
                "一（三）",
                "企业自主评价的职业（工种）、等级实行动态管理，企业可以根据产业形态变化要求和实际"
                "生产需要增加或减少自主评价职业（工种）、等级范围，调整的职业（工种）、等级应向职业"
                "技能鉴定（指导）中心备案后实施。",
            ),
        ),
    ),
    RuleSource(
        "R-F4",
        _("When filings are accepted"),
        (
            _p("000", "四", "坪山区人力资源局集中受理企业申报时间：2021年11月16日——12月30日"),
            _p("002", "五", "企业可于每年5月底、10月底前申请职业技能等级认定工作。"),
        ),
    ),
    RuleSource(
        "R-F5",
        _("Which bureau a filing goes to"),
        (
            _p(
                "002",
                "六（一）",
                "区属企业、外资企业、非公企业按照属地原则,归口向所在区人力资源和社会保障局提交申报"
                "材料;区人力资源和社会保障局对申请企业的申报材料提交初步意见后,报北京市职业技能鉴定"
                "管理中心。",
            ),
        ),
    ),
    RuleSource(
        "R-F6",
        _("Review and expert on-site evaluation within 20 working days"),
        (
            _p(
                "001",
                "六（一）2",
                "市技能鉴定办自收到申请表当日起20个工作日内完成申请材料审核、专家现场评估。",
            ),
            _p(
                "001",
                "六（一）2",
                "已纳入广东省职业技能等级认定试点名单、且有意愿在我市开展职业技能等级认定的企业，"
                "仍需按要求提交备案申请表。市技能鉴定办不再组织专家进行现场评估。",
            ),
        ),
    ),
    RuleSource(
        "R-F7",
        _("What a review decides, and how long a filing is valid"),
        (
            _p(
                "001",
                "六（一）2",
                "审核通过的纳入我市开展职业技能等级认定的企业目录，在市人力资源保障局官网公布。",
            ),
            _p("002", "六（三）", "面向社会公布企业名单,实行动态调整,有效期为三年。"),
        ),
    ),
    RuleSource(
        "R-F8",
        _("The materials a filing includes"),
        (
            _p(
                "002",
                "六（一）",
                "3.企业培训与认定工作的相关政策,明确职业技能等级认定结果与薪酬待遇挂钩的相关政策;"
                "4.拟开展企业技能等级认定职业(工种)的评价标准或企业评价规范;"
                "5.场地、设施设备、视频监控设备等相关材料。",
            ),
        ),
    ),
    RuleSource(
        "R-F9",
        _("Adding an occupation means filing again"),
        (_p("001", "六（二）", "备案企业需新增认定职业（工种）的，应重新申请企业备案。"),),
    ),
    RuleSource(
        "R-S1",
        _("The standard a scheme follows"),
        (
            _p(
                "001",
                "四（一）",
                "职业能力部分可以参照国家职业技能标准制定，但不得低于国家职业技能标准。没有国家职业"
                "技能标准的，依据行业企业工种岗位需求制定；",
            ),
        ),
    ),
    RuleSource(
        "R-S2",
        _("What an evaluation scheme assesses, and by which methods"),
        (
            _p(
                "001",
                "四（一）",
                "评价标准包括职业能力和职业素养两部分。",
            ),
            _p(
                "001",
                "五",
                "企业可灵活运用理论知识考试、操作技能考核、安全生产考察、职业道德评分、工作业绩评定、"
                "在线培训考核等多种方式，全面考核员工综合素质。",
            ),
            _p(
                "002",
                "二（三）4",
                "在对职业技能竞赛中取得优异成绩,为企业技术创新、技术改造做出突出贡献,创造重大经济"
                "效益的人员,可直接认定相应等级。",
            ),
        ),
    ),
    RuleSource(
        "R-S3",
        _("A serious safety violation fails the examinee"),
        (
            _p(
                "001",
                "五",
                "一段时间内在工作岗位上有严重违反安全生产记录的，应当一票否决。",
            ),
        ),
    ),
    RuleSource(
        "R-S4",
        _("The five levels, and levels an enterprise sets itself"),
        (
            _p(
                "002",
                "三",
                "一般分为初级工(五级)、中级工(四级)、高级工(三级)、技师(二级)和高级技师(一级)。",
            ),
            _p(
                "004",
                "一（三）",
                "企业可根据需要，在相应的职业技能等级内划分层次，或在高级技师之上设立特级技师、首席"
                "技师等，但必须确定自主设置的等级与国家一到五个等级的对应关系。",
            ),
        ),
    ),
    RuleSource(
        "R-S5",
        _("The scheme is filed with the city and evaluated by experts"),
        (
            _p(
                "001",
                "六（二）",
                "对应制定本企业评价方案，报市技能鉴定办备案。经专家评估通过后，备案企业对应评价的"
                "职业（工种）信息在市人力资源保障局官网公布，动态调整。",
            ),
        ),
    ),
    RuleSource(
        "R-P1",
        _("What an implementation plan contains"),
        (
            _p(
                "001",
                "六（三）1",
                "具体内容包括评价职业（工种）、时间安排、评价员工名册、考评人员信息等。",
            ),
            _p(
                "004",
                "三（一）",
                "评价考核方案内容主要包括：申报条件（包括破格条件）、评价时间、地点、评价内容与方式、"
                "考场安排、参加评价人员信息以及监考人员、考评人员、质量督导员安排情况等。",
            ),
        ),
    ),
    RuleSource(
        "R-P2",
        _("A plan reaches the city 10 working days before the assessment"),
        (_p("001", "六（三）1", "实施计划须提前10个工作日报送市技能鉴定办。"),),
    ),
    RuleSource(
        "R-P3",
        _("Who may be assessed"),
        (
            _p(
                "001",
                "三",
                "（1） 在本企业参保的在职职工；（2） 具有隶属关系或关联关系的我市其他企业参保在职"
                "职工；（三）劳务派遣单位派遣至本企业工作1年以上的派遣职工。",
            ),
            _p(
                "002",
                "二（一）",
                "企业可面向本企业在职职工、劳务派遣人员开展职业技能等级认定,也可为校企合作的技工"
                "院校学生、企业新型学徒制学员提供职业技能等级认定服务。",
            ),
            _p(
                "004",
                "一（二）",
                "企业自主评价对象包括本企业在岗职工、在本企业工作的劳务派遣人员、业务外包人员、开展"
                "校企合作的院校学生。",
            ),
        ),
    ),
    RuleSource(
        "R-P4",
        _("Only occupations, work types and levels inside the approved filing"),
        (
            _p(
                "002",
                "七（三）",
                "企业不得超范围开展认定工作,认定职业(工种)及等级应在确认范围内;",
            ),
        ),
    ),
    RuleSource(
        "R-P5",
        _("The official roster format, and resident ID numbers"),
        (
            _p(
                "004",
                "三（三）",
                "企业完成评价考核工作后填写《职业技能等级认定人员名册》（见附件3），上传山东省职业"
                "技能等级评价信息管理系统。",
            ),
        ),
        _("The columns are those of 附件3 of the notice; resident ID numbers follow GB 11643."),
    ),
    RuleSource(
        "R-P5a",
        _("One person, one certificate per occupation and level a year"),
        (),
        _(
            "A practice rule of Guangdong cities; none of the notices the portal holds states it "
            "in words."
        ),
    ),
    RuleSource(
        "R-C1",
        _("Every step of an assessment leaves a trace, kept 2 years"),
        (
            _p(
                "001",
                "六（三）2",
                "企业应按照实施计划落实场地、设施设备和考评人员，规范组织实施评价工作，并在2年内"
                "妥善保管员工评价过程中的文档、录音、视频资料，实现全程留痕，确保评价过程可追溯。",
            ),
        ),
    ),
    RuleSource(
        "R-C2",
        _("Quality supervisors are drawn at random and check the sessions"),
        (
            _p(
                "001",
                "六（三）4",
                "在企业组织实施评价过程中，市技能鉴定办随机抽取质量督导员，随机按照企业报送的评价"
                "计划开展评价过程质量督导。企业应积极配合督导工作。",
            ),
        ),
    ),
    RuleSource(
        "R-C3",
        _("Misconduct or repeated lapses cost an examiner the qualification"),
        (
            _p(
                "001",
                "七（三）",
                "考评人员、考务人员或其他工作人员出现违规或两次以上失职行为的，取消考评人员资格，"
                "考务人员或其他工作人员调离相应岗位。",
            ),
        ),
    ),
    RuleSource(
        "R-R1",
        _("Results are publicised 5 working days, then filed within 15"),
        (
            _p(
                "001",
                "六（三）3",
                "评价完成后，企业应将评价结果在本单位内部公示5个工作日，并在公示完成后15个工作日内"
                "报市技能鉴定办备案。",
            ),
        ),
    ),
    RuleSource(
        "R-R2",
        _("A batch assessed by the standard and the plan is approved"),
        (
            _p(
                "001",
                "六（三）3",
                "企业按评价标准和评价计划规范开展评价工作的，该批次评价结果给予备案通过。",
            ),
            _p(
                "004",
                "三（三）",
                "经市、省职业技能鉴定（指导）中心审核通过后，企业按照《关于公布山东省企业技能人才"
                "自主评价<职业技能等级证书编码规则（试行）>和<职业技能等级证书参考样式>的通知》"
                "（鲁人社鉴〔2019〕47号）要求，为考核合格人员颁发职业技能等级证书。",
            ),
        ),
    ),
    RuleSource(
        "R-K1",
        _("The enterprise issues the certificates itself"),
        (
            _p(
                "001",
                "六（四）",
                "企业参照人力资源社会保障部职业技能鉴定指导中心职业技能等级证书参考样式自行印制、"
                "核发企业职业技能等级证书，证书应当按照统一编码规则进行编码。",
            ),
        ),
    ),
    RuleSource(
        "R-K2",
        _("How certificate numbers are made"),
        (
            _p(
                "001",
                "六（四）",
                "证书应当按照统一编码规则进行编码。",
            ),
        ),
        _(
            "The 22-character number follows the national coding rule (人社鉴发〔2019〕2号): "
            "Y or S, institution code, province code, site serial, year, level and serial."
        ),
    ),
    RuleSource(
        "R-K3",
        _("What a certificate shows"),
        (
            _p(
                "001",
                "六（四）",
                "企业参照人力资源社会保障部职业技能鉴定指导中心职业技能等级证书参考样式自行印制、"
                "核发企业职业技能等级证书，",
            ),
        ),
    ),
    RuleSource(
        "R-K4",
        _("Certificate data is reported for national query"),
        (
            _p(
                "001",
                "六（四）",
                "对规范开展职业技能等级认定工作的，市技能鉴定办将证书信息上报广东省职业技能服务指导"
                "中心，统一上传国家职业资格证书全国联网查询系统。",
            ),
        ),
    ),
    RuleSource(
        "R-K5",
        _("The public can check a certificate"),
        (
            _p(
                "003",
                "四（三）",
                "对外提供技能等级证书查询链接,方便群众核验技能等级证书的真伪;",
            ),
        ),
    ),
    RuleSource(
        "R-M1",
        _("Random inspectors, random targets, published results"),
        (
            _p(
                "000",
                "五（一）",
                "坪山区人力资源局将按照“两随机一公开”原则，随机抽取质量督导员，对已按照评价计划"
                "开展评价的企业进行质量督导，每年对每个备案企业抽查不少于一次，",
            ),
        ),
    ),
    RuleSource(
        "R-M2",
        _("Fraud or organised cheating cancels the filing for 5 years"),
        (
            _p(
                "001",
                "七（二）",
                "备案企业在评价工作中存在组织舞弊、造假等违法违规行为的，直接取消其备案资格，五年内"
                "不再接受该企业的备案申请。",
            ),
        ),
    ),
    RuleSource(
        "R-M3",
        _("The yearly evaluation, and removal from the directory for 2 years"),
        (
            _p(
                "001",
                "七（二）",
                "对通过备案满一年的企业，市技能鉴定办每年对其开展自主评价的情况进行评估。一年内未"
                "组织实施一次评价工作或已不具备开展自主评价条件的，直接取消其备案资格、移出备案企业"
                "名单，且此后两年内不再接受该企业的备案申请。",
            ),
        ),
    ),
    RuleSource(
        "R-M4",
        _("The year-start report of last year's work and this year's plan"),
        (
            _p(
                "002",
                "六（四）",
                "企业每年年初向北京市职业技能鉴定管理中心报送上一年工作总结及当年认定计划,",
            ),
        ),
    ),
    RuleSource(
        "R-M5",
        _("Public information and complaints"),
        (
            _p(
                "003",
                "四（三）",
                "市、区人力资源社会保障部门定期在官方网站向社会发布并更新评价机构目录信息,内容包括:"
                "评价机构名称、地址、联系方式、职业(工种)名称、等级范围等;",
            ),
        ),
    ),
    RuleSource(
        "R-M6",
        _("Credit records, and dishonest conduct published"),
        (
            _p(
                "003",
                "四（五）",
                "探索建立评价机构信用评估机制,按照信用建设有关规定,及时向社会公布信用信息记录。",
            ),
        ),
    ),
    RuleSource(
        "R-M7",
        _("Social training evaluation organisations"),
        (
            _p(
                "003",
                "二（一）1",
                "申报机构需为佛山市内依法登记,以人才培养服务为主要工作职责的社会培训评价组织(含"
                "企业、行业协会和技工院校等),具有规范的财务制度和管理制度,社会信用良好,无违法"
                "违规、失信等不良行为记录。",
            ),
        ),
    ),
]

RULE_SOURCES = {source.rule: source for source in _SOURCES}


def rule_source(rule: str) -> RuleSource | None:
    return RULE_SOURCES.get(rule)
