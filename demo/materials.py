"""The filing materials of the demo: one small valid PDF per material the policy asks for; and
the application form's basic information (seed 004 附件1) of a demo enterprise."""

from django.core.files.uploadedfile import SimpleUploadedFile

from filings.filings import services as filing_services
from filings.models import Filing
from filings.uploads import check_upload
from portal.core.models import Bureau
from portal.core.policy import effective_policy

# A tiny valid PDF, so demo materials download and open.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def add_materials(filing: Filing, actor, bureau: Bureau) -> None:
    """Uploads every material the policy in force at `bureau` asks for (R-F8)."""
    for item in effective_policy(bureau).material_items:
        upload = SimpleUploadedFile(f"{item.name}.pdf", DEMO_PDF, content_type="application/pdf")
        filing_services.filing_material_add(
            filing=filing, actor=actor, kind=item.kind, upload=upload, checked=check_upload(upload)
        )


def application_form_facts(enterprise) -> dict:
    """Seed 004 附件1: 注册登记机构, 负责人 and 职务, the contact's 职务 and 手机, 填报人."""
    city = enterprise.district.city
    phone = enterprise.contact_phone.replace("-", "").replace(" ", "")
    mobile = phone if len(phone) == 11 and phone.startswith("1") else f"139{enterprise.pk:08d}"
    return {
        "registration_authority": f"{city.area_name}市场监督管理局",
        "principal_name": enterprise.legal_representative,
        "principal_title": "总经理",
        "principal_phone": enterprise.contact_phone,
        "contact_title": "人力资源部经理",
        "contact_mobile": mobile,
        "filled_in_by": enterprise.contact_name,
        "filler_phone": enterprise.contact_phone,
    }
