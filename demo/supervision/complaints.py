"""Demo data of the supervision area 'complaint' (called by supervision/demo.py in order):
two complaints from the public about e1, routed to its district (南山): one answered, one just
received. The received one's reference and phone go to ctx for the lead's summary line."""

from supervision.complaints.services import complaint_answer, complaint_submit, complaint_take


def _submit(enterprise, today, **data):
    """A complaint about the enterprise (named from the directory), without an e-mail address."""
    return complaint_submit(
        data={"enterprise_name": "", "contact_email": "", **data},
        enterprise=enterprise,
        city=None,
        files=[],
        today=today,
    )


def seed(*, enterprises: dict, users: dict, today, ctx: dict) -> None:
    """Add this area's demo rows; `ctx` carries what earlier areas made (e.g. ctx["draw"])."""
    enterprise = enterprises["e1"]
    handler = users["district1"]
    answered = _submit(
        enterprise,
        today,
        category="fees",
        subject="认定考核收取报名费",
        body=(
            "我是该企业的一线职工，上月报名参加数控车工四级认定时，车间要求每人交报名费"
            "300元，没有开具收据。请问企业组织的技能等级认定是否可以向本企业职工收费？"
        ),
        contact_name="陈立新",
        contact_phone="13923451234",
    )
    complaint_take(complaint=answered, actor=handler)
    complaint_answer(
        complaint=answered,
        actor=handler,
        answer=(
            "您好！我局已于收到投诉后到企业现场核查。经查，企业向报名职工收取的是自愿参加的"
            "考前培训教材费，认定考核本身未收费，企业已向缴费职工开具收据并公示收费依据。"
            "投诉反映的“认定收费”问题不属实。如仍有疑问，可致电南山区人力资源局咨询。"
        ),
        substantiated=False,
        finding=(
            "现场核查收费台账及收据 12 份，均为培训教材费；已提醒企业将培训与认定收费分开公示。"
        ),
    )
    received = _submit(
        enterprise,
        today,
        category="cheating",
        subject="理论考试有人替考",
        body=(
            "本周六上午的钳工三级理论考试，考场二有两名考生由他人代考，监考人员未核对身份证件。"
            "我当时在同一考场，可以提供考场座位号。"
        ),
        contact_name="王建华",
        contact_phone="13812345678",
    )
    ctx["complaint_reference"] = received.reference
    ctx["complaint_phone"] = received.contact_phone
