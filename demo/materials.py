"""The filing materials of the demo: one small valid PDF per material the policy requires."""

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
