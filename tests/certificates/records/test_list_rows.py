"""R-K3 on the certificate list: each row shows the number, the holder, the ID number masked,
occupation (work type), level in words, date, the enterprise for reviewers, and the status;
whatever an enterprise typed is shown as text."""

from django.urls import reverse

from certificates.models import Certificate
from portal.core.masking import mask_id
from tests.certificates.factories import issued_batch


def _row(page: str, number: str) -> str:
    start = page.rindex("<tr>", 0, page.index(f"<code>{number}</code>"))
    return page[start : page.index("</tr>", start)]


def test_r_k3_a_list_row_says_what_the_certificate_says(client, alice, carl, ent_a):
    batch = issued_batch(ent_a, alice, "passed", "passed")
    first, second = batch.certificates.order_by("position")
    Certificate.objects.filter(pk=second.pk).update(
        holder_name='<img src=x onerror="alert(1)">',
        work_type_name="数控车工&铣工",
        status="revoked",
    )
    client.force_login(alice)
    page = client.get(reverse("certificate_list")).content.decode()
    row = _row(page, first.number)
    assert f'href="{reverse("certificate_detail", args=[first.pk])}"' in row
    assert mask_id(first.id_number) in row and first.id_number not in page
    assert f"<td>{first.issued_on:%Y-%m-%d}</td>" in row
    assert '<span class="badge approved">有效</span>' in row
    assert ent_a.name not in row  # an enterprise sees no enterprise column
    revoked = _row(page, second.number)
    assert "<img" not in revoked and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in revoked
    assert "（数控车工&amp;铣工）" in revoked
    assert 'class="badge rejected"' in revoked
    client.force_login(carl)
    page = client.get(reverse("certificate_list")).content.decode()
    assert f"<td>{ent_a.name}</td>" in _row(page, first.number)
