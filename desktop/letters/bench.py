"""Render-and-sign benchmark against a raw reportlab + pyHanko baseline measured in the same run.

Baseline: one platypus page of Chinese text in an embedded subset TrueType font,
then a plain pyHanko ECDSA signature (SimpleSigner, invisible field). The app
figure is :func:`render_letter` + :func:`sign_pdf` of the sample letter with an
ECDSA P-256 agent identity. Both are warmed up first (imports, font parsing,
key decryption happen once per process in real use) and reported as medians.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.fonts import cjk_font_path
from desktop.letters.keys import SigningIdentity, create_site_ca, issue_agent_certificate
from desktop.letters.render import render_letter
from desktop.letters.sample import sample_content
from desktop.letters.sign import sign_pdf

BENCH_PASSPHRASE = b"bench-only"
_RAW_FONT = "BenchRawCJK"


@dataclass(frozen=True)
class BenchFigure:
    name: str
    app_ms: float
    raw_ms: float

    @property
    def ratio(self) -> float:
        return self.app_ms / self.raw_ms if self.raw_ms else float("inf")

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "app_ms": round(self.app_ms, 2),
            "raw_ms": round(self.raw_ms, 2),
            "ratio": round(self.ratio, 3),
        }


def run_benchmark(repeats: int = 9) -> list[BenchFigure]:
    with tempfile.TemporaryDirectory(prefix="letter-bench-") as folder:
        ca = create_site_ca(Path(folder) / "ca", "Bench Site", BENCH_PASSPHRASE, demo=True)
        identity = issue_agent_certificate(
            ca, "Bench Agent", BENCH_PASSPHRASE, directory=Path(folder) / "agents"
        )
        app = _app_run(identity)
        raw = _raw_run(identity)
        for run in (app, raw):
            run()  # warm-up
        app_times, raw_times = [], []
        for _index in range(repeats):  # interleaved so drift hits both sides alike
            app_times.append(_timed(app))
            raw_times.append(_timed(raw))
    return [
        BenchFigure("render_and_sign", statistics.median(app_times), statistics.median(raw_times))
    ]


def _timed(run: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def _app_run(identity: SigningIdentity) -> Callable[[], bytes]:
    content = sample_content("zh_CN")

    def run() -> bytes:
        return sign_pdf(
            render_letter(content),
            identity,
            BENCH_PASSPHRASE,
            reason="benchmark",
            location="benchmark",
        )

    return run


def raw_page_texts() -> list[str]:
    """The sample letter's own wording as plain paragraphs: one full A4 page of text."""
    from desktop.letters.templates import load_template

    content = sample_content("zh_CN")
    template = load_template("zh_CN")
    return [
        content.operator_name,
        content.site_name,
        content.site_address,
        template.text("document_title"),
        content.complaint_number,
        content.customer_name,
        content.description_brief,
        content.demand_brief,
        content.findings,
        content.resolution,
        *(c.text for c in content.citations),
        template.text("rights"),
        template.text("appeal_article.text"),
        template.text("closing"),
        content.agent_name,
    ]


def _raw_run(identity: SigningIdentity) -> Callable[[], bytes]:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    if _RAW_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(_RAW_FONT, str(cjk_font_path())))
    style = ParagraphStyle("raw", fontName=_RAW_FONT, fontSize=10.5, leading=17, wordWrap="CJK")
    texts = raw_page_texts()
    signer = signers.SimpleSigner.load_pkcs12_data(
        identity.path.read_bytes(), other_certs=[], passphrase=BENCH_PASSPHRASE
    )
    meta = signers.PdfSignatureMetadata(field_name="Signature", md_algorithm="sha256")

    def run() -> bytes:
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, pagesize=A4).build([Paragraph(t, style) for t in texts])
        writer = IncrementalPdfFileWriter(io.BytesIO(buffer.getvalue()))
        output = io.BytesIO()
        signers.sign_pdf(writer, meta, signer=signer, output=output)
        return output.getvalue()

    return run
