import pytest
from django.core.cache import cache

from certificates.models import Certificate
from portal.core.crypto import id_digest
from tests.certificates.factories import issued_batch


@pytest.fixture
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def certificate(ent_a, alice) -> Certificate:
    """张三丰's valid certificate of enterprise A, level 4, issued 2026-11-20."""
    issued = issued_batch(ent_a, alice, "passed")
    certificate = issued.certificates.get()
    id_number = "44030519900101123X"
    Certificate.objects.filter(pk=certificate.pk).update(
        holder_name="张三丰", id_number=id_number, id_hash=id_digest(id_number)
    )
    certificate.refresh_from_db()
    return certificate
