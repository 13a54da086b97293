from tests.certificates.verification.conftest import certificate  # noqa: F401 (fixture)
