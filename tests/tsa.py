"""A Time-Stamping Authority on 127.0.0.1 for tests: OpenSSL's own `openssl ts -reply` signs
each RFC 3161 request with a TSA certificate issued by a test root made here."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.webserver import serving

OPENSSL_TSA_CONFIG = """
[ tsa ]
default_tsa = marsad_test_tsa

[ marsad_test_tsa ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def make_tsa_certificates(folder: Path, root_name: str = "Marsad Test Root") -> Path:
    """A root and a TSA certificate (critical timeStamping usage) in `folder`; returns the
    root's PEM file, the trust anchor a verifier is given."""
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    later = now + dt.timedelta(days=30)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(_name(root_name))
        .issuer_name(_name(root_name))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(later)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
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
        .sign(root_key, hashes.SHA256())
    )
    tsa_key = ec.generate_private_key(ec.SECP256R1())
    tsa = (
        x509.CertificateBuilder()
        .subject_name(_name("Marsad Test TSA"))
        .issuer_name(root.subject)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(later)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    (folder / "root.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.pem").write_bytes(tsa.public_bytes(serialization.Encoding.PEM))
    (folder / "tsa.key").write_bytes(_pem_key(tsa_key))
    (folder / "serial").write_text("01\n")
    (folder / "openssl.cnf").write_text(OPENSSL_TSA_CONFIG.format(folder=folder))
    return folder / "root.pem"


@dataclass
class LocalTSA:
    url: str
    root_pem: Path
    requests: int = 0


@contextmanager
def running_tsa() -> Iterator[LocalTSA]:
    """A TSA serving POSTs on 127.0.0.1 until the block ends."""
    with tempfile.TemporaryDirectory(prefix="marsad-tsa-") as temporary:
        folder = Path(temporary)
        root_pem = make_tsa_certificates(folder)
        lock = threading.Lock()
        state = LocalTSA("", root_pem)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                query = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with lock:  # openssl bumps one serial file
                    state.requests += 1
                    (folder / "query.tsq").write_bytes(query)
                    done = subprocess.run(
                        [
                            *("openssl", "ts", "-reply", "-config", str(folder / "openssl.cnf")),
                            *("-queryfile", str(folder / "query.tsq")),
                            *("-out", str(folder / "reply.tsr")),
                        ],
                        capture_output=True,
                        check=False,
                        timeout=60,
                    )
                    reply = (folder / "reply.tsr").read_bytes() if done.returncode == 0 else b""
                self.send_response(200 if reply else 400)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *_args: object) -> None:
                pass

        with serving(Handler) as base_url:
            state.url = f"{base_url}/tsa"
            yield state
