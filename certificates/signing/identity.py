"""The identity that signs holder PDFs, from configuration (CERT_SIGNING_PKCS12), and the
embedded demo's own test CA.

The demo makes a root and a signing identity (EC P-256) under VAR_DIR/signing-demo/ the first
time a PDF is signed, both labelled DEMO in their names and carrying the organisational unit
DEMO_UNIT. Production refuses them twice: the settings refuse the demo paths at start-up, and
the loader refuses any identity issued under the demo label, wherever its file was copied to.
"""

import datetime as dt
import functools
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_UNIT = "DEMO-ONLY"
DEMO_ROOT_NAME = "演示用证书签名根CA（DEMO，不可用于生产）"
DEMO_SIGNER_NAME = "演示用证书签名（DEMO，不可用于生产）"
DEMO_ORGANISATION = "企业职业技能等级认定服务平台（演示）"
DEMO_PASSWORD = "demo-signing-only"  # noqa: S105 (the demo's, refused in production)


def demo_dir() -> Path:
    return Path(settings.VAR_DIR) / "signing-demo"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANISATION),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_UNIT),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _demo_files(target: Path) -> None:
    """Write root.pem and signer.p12 of a fresh demo CA into `target`."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_name = _name(DEMO_ROOT_NAME)
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = (
        x509.CertificateBuilder()
        .subject_name(_name(DEMO_SIGNER_NAME))
        .issuer_name(root_name)
        .public_key(signer_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    (target / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (target / "signer.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            name=DEMO_SIGNER_NAME.encode(),
            key=signer_key,
            cert=signer,
            cas=[root],
            encryption_algorithm=serialization.BestAvailableEncryption(DEMO_PASSWORD.encode()),
        )
    )


def ensure_demo_identity() -> Path:
    """The demo CA's directory, made on first use. Concurrent processes each build one in a
    directory of their own and rename it into place: the first wins, so the root and the
    identity always belong together."""
    target = demo_dir()
    if (target / "signer.p12").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".signing-demo-", dir=target.parent))
    try:
        _demo_files(building)
        os.rename(building, target)
    except OSError:
        if not (target / "signer.p12").exists():
            raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def is_demo(certificate: x509.Certificate) -> bool:
    """Whether the certificate or its issuer carries the demo label."""
    for name in (certificate.subject, certificate.issuer):
        units = name.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        if any(unit.value == DEMO_UNIT for unit in units):
            return True
    return False


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if names:
        return str(names[0].value)
    return certificate.subject.rfc4514_string()


def organisation(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(names[0].value) if names else ""


@dataclass(frozen=True)
class Identity:
    signer: object  # pyhanko.sign.signers.SimpleSigner
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    name: str  # the signer named in the signature

    @property
    def demo(self) -> bool:
        return is_demo(self.certificate)


def _pkcs12_path() -> Path:
    configured = settings.CERT_SIGNING_PKCS12
    if configured:
        return Path(configured)
    if not settings.CERT_SIGNING_DEMO_ALLOWED:
        raise ImproperlyConfigured("CERT_SIGNING_PKCS12 must be set outside the embedded demo")
    return ensure_demo_identity() / "signer.p12"


def _password() -> bytes:
    if settings.CERT_SIGNING_PKCS12:
        return settings.CERT_SIGNING_PKCS12_PASSWORD.encode()
    return DEMO_PASSWORD.encode()


@functools.cache
def _load(path: str, password: bytes, mtime: float) -> Identity:
    with warnings.catch_warnings():
        # pyHanko imports DSA support, which cryptography deprecates.
        warnings.simplefilter("ignore")
        from pyhanko.sign import signers
    content = Path(path).read_bytes()
    try:
        _key, certificate, cas = pkcs12.load_key_and_certificates(content, password)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"CERT_SIGNING_PKCS12 {path} cannot be opened with CERT_SIGNING_PKCS12_PASSWORD: {exc}"
        ) from exc
    if certificate is None:
        raise ImproperlyConfigured(f"CERT_SIGNING_PKCS12 {path} holds no certificate")
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=password)
    if signer is None:
        raise ImproperlyConfigured(f"CERT_SIGNING_PKCS12 {path} cannot be loaded for signing")
    return Identity(
        signer=signer, certificate=certificate, chain=tuple(cas), name=common_name(certificate)
    )


def signing_identity() -> Identity:
    """The configured identity; the demo's in the embedded demo. Production refuses a demo
    identity whatever its file is called."""
    path = _pkcs12_path()
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise ImproperlyConfigured(f"CERT_SIGNING_PKCS12 {path} cannot be read: {exc}") from exc
    identity = _load(str(path), _password(), mtime)
    if identity.demo and not settings.CERT_SIGNING_DEMO_ALLOWED:
        raise ImproperlyConfigured(
            "CERT_SIGNING_PKCS12 is a demo identity (DEMO, not for production); set an identity "
            "of your own when DJANGO_DEBUG is false"
        )
    return identity


def trust_roots() -> list[x509.Certificate]:
    """CERT_TRUST_ROOTS; unset, the self-signed certificates of the signing identity's chain
    (in the embedded demo: the demo root)."""
    if not settings.CERT_TRUST_ROOTS:
        chain = signing_identity().chain
        return [cert for cert in chain if cert.subject == cert.issuer]
    roots = []
    for path in settings.CERT_TRUST_ROOTS:
        try:
            roots.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"CERT_TRUST_ROOTS {path} cannot be read: {exc}") from exc
    return roots
