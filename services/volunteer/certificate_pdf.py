"""A certificate as a one-page PDF (fpdf2), in Chinese with an English line, with its verification code.

Chinese needs a CJK font; the PDF embeds the subset of it the certificate uses. The font is found at
VOLUNTEER_CERTIFICATE_FONT, else at the usual Debian places (fonts-noto-cjk, fonts-wqy-microhei,
fonts-wqy-zenhei). Without one, certificates are still issued and verifiable by their code; only the
PDF is unavailable (FAILED_PRECONDITION saying which package to install).
"""
import functools
import os

from linli.kit.errors import FailedPrecondition
from services.volunteer.domain.certificates import Certificate, statement

KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
INSTALL_HINT = "apt-get install fonts-noto-cjk (or set VOLUNTEER_CERTIFICATE_FONT to a CJK .ttf/.ttc/.otf)"


@functools.cache
def font() -> tuple[str, int]:
    """(path, face number in a collection) of the CJK font to embed; FailedPrecondition when none."""
    from linli.kit.config import setting

    configured = setting("VOLUNTEER_CERTIFICATE_FONT")
    candidates = [configured] if configured else list(KNOWN_FONTS)
    for path in candidates:
        if path and os.path.isfile(path):
            return path, _simplified_chinese_face(path)
    raise FailedPrecondition(f"no CJK font for certificate PDFs: {INSTALL_HINT}")


def _simplified_chinese_face(path: str) -> int:
    """In a collection (.ttc), the face for Simplified Chinese ("... SC"), else the first."""
    if not path.lower().endswith(".ttc"):
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for number, face in enumerate(collection.fonts):
        family = face["name"].getDebugName(1) or ""
        if family.endswith(" SC"):
            return number
    return 0


def render(certificate: Certificate, verify_url: str) -> bytes:
    from fpdf import FPDF

    path, face = font()
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"志愿服务记录证明 {certificate.code}")
    pdf.set_creator("Linli")
    pdf.set_creation_date(certificate.issued_at)  # the same certificate renders to the same document
    pdf.add_page()
    pdf.add_font("cjk", "", path, collection_font_number=face)
    pdf.set_draw_color(160, 30, 30)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    pdf.set_font("cjk", size=28)
    pdf.set_y(28)
    pdf.cell(0, 14, "志愿服务记录证明", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=12)
    pdf.cell(0, 8, "Certificate of Volunteer Service", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("cjk", size=15)
    for line in statement(certificate):
        pdf.set_x(28)
        # Flush left: fpdf2 justifies wrapped lines by default, which in Chinese spreads the few spaces
        # of a line (around names and dates) into wide gaps.
        pdf.multi_cell(pdf.w - 56, 10, line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("cjk", size=13)
    local_day = certificate.issued_at.astimezone(_zone()).date().isoformat()
    for text in (f"出具单位：{certificate.issuer}", f"出具日期：{local_day}"):
        pdf.set_x(pdf.w / 2)
        pdf.cell(pdf.w / 2 - 28, 9, text, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.h - 40)
    pdf.set_font("cjk", size=11)
    pdf.set_x(28)
    pdf.cell(0, 7, f"验证码 Verification code: {certificate.code}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(28)
    pdf.cell(0, 7, f"核验 Verify: {verify_url}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def filename(certificate: Certificate) -> str:
    return f"volunteer-certificate-{certificate.code}.pdf"


def _zone():
    from zoneinfo import ZoneInfo

    from services.volunteer.policy import COMMUNITY_ZONE

    return ZoneInfo(COMMUNITY_ZONE)


def available() -> bool:
    try:
        font()
        return True
    except FailedPrecondition:
        return False

