"""The pyHanko side of signing; imported only when a letter is signed (pyHanko loads slowly)."""

from __future__ import annotations

import binascii
import io
import uuid
from dataclasses import dataclass
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.registry import SimpleCertificateStore

from desktop.letters.keys import PrivateKey

_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


def to_asn1_certificate(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class InMemorySigner(signers.SimpleSigner):
    """SimpleSigner that keeps the parsed key object.

    pyHanko's SimpleSigner re-parses the PKCS#8 key on every signature, which
    costs ~40 ms for RSA-2048; holding the cryptography key object avoids it.
    """

    def __init__(
        self, key: PrivateKey, certificate: x509.Certificate, chain: list[x509.Certificate]
    ) -> None:
        key_info = asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        super().__init__(
            signing_cert=to_asn1_certificate(certificate),
            signing_key=key_info,
            cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
                [to_asn1_certificate(c) for c in chain]
            ),
        )
        self._key = key
        # Room for the CMS blob, so pyHanko skips the dry-run signature it would use to size it.
        certificates = [certificate, *chain]
        reserved = 4096 + sum(len(c.public_bytes(serialization.Encoding.DER)) for c in certificates)
        self.bytes_reserved = reserved + reserved % 2  # pyHanko wants an even count

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        digest = _HASHES[digest_algorithm.lower()]
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(digest))
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if isinstance(self._key, rsa.RSAPrivateKey) and mechanism == "rsassa_pkcs1v15":
            return self._key.sign(data, padding.PKCS1v15(), digest)
        return bytes(super().sign_raw(data, digest_algorithm))  # rare mechanisms: pyHanko's path


class BytesPdfPage(content.ImportedPdfPage):
    """ImportedPdfPage reading from memory instead of a file name."""

    def __init__(self, data: bytes) -> None:
        super().__init__(file_name="<memory>", page_ix=0)  # type: ignore[no-untyped-call]
        self._data = data

    def render(self) -> bytes:
        writer = self._ensure_writer
        reader = PdfFileReader(io.BytesIO(self._data))
        xobject = writer.import_page_as_xobject(reader, page_ix=0)
        resource_name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
        self.resources.xobject[resource_name.decode("ascii")] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return resource_name + b" Do"


@dataclass
class OpenedPdf:
    """A PDF opened for an incremental signature, with what placing the seal needs."""

    writer: IncrementalPdfFileWriter
    keywords: str
    pages: int
    field_names: list[str]


def open_pdf(pdf: bytes) -> OpenedPdf:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    reader = writer.prev
    info: Any = reader.trailer_view.get("/Info")
    info = info.get_object() if info is not None else None
    keywords = str(info.get("/Keywords", "")) if info is not None else ""
    names = [name for name, _value, _ref in fields.enumerate_sig_fields(reader)]
    return OpenedPdf(writer, keywords, int(reader.root["/Pages"]["/Count"]), names)


def sign_opened(
    opened: OpenedPdf,
    signer: InMemorySigner,
    *,
    field_name: str,
    page_index: int,
    box: tuple[int, int, int, int],
    stamp_pdf: bytes,
    reason: str,
    location: str,
    signer_name: str,
) -> bytes:
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=signer,
        stamp_style=StaticStampStyle(
            background=BytesPdfPage(stamp_pdf),
            border_width=0,
            # The seal page is drawn at the field's exact size: no margin, no scaling.
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),  # type: ignore[no-untyped-call]
                inner_content_scaling=layout.InnerScaling.NO_SCALING,
            ),
        ),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=page_index, box=box),
    )
    output = io.BytesIO()
    pdf_signer.sign_pdf(opened.writer, output=output, bytes_reserved=signer.bytes_reserved)
    return output.getvalue()
