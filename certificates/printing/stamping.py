"""Certificate PDFs at print-shop speed: WeasyPrint draws what every page shares, once; each
certificate's own text, photo and QR code are then written onto its page directly.

Why: WeasyPrint lays out every box of every page (about 20 ms a certificate page on this
machine, even with the page reduced to a few pre-formatted blocks), and a batch of 2,000 must
print at 100 certificates a second. Per document, WeasyPrint renders a "sheet" of two pages: the
background (frame, title, the national query addresses) and a line holding every character the
certificates of the document use. WeasyPrint subsets the font to those glyphs, with their widths
and the ToUnicode map that keeps the text extractable. Each certificate page is then a content
stream of its own: the background as a form XObject, text as glyph ids of that same embedded
font (WenQuanYi Micro Hei maps each character to one glyph: no shaping is lost), the photo as an
image XObject (JPEG passed through), the QR code as filled squares. A page costs well under a
millisecond.

A certificate holding a character the font lacks (a rare character in a name) is laid out by
WeasyPrint in full instead (templates/pdf/certificates.html), which can fall back to the other
fonts of the system, and its page is put in its place.
"""

import functools
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from django.template.loader import render_to_string
from fontTools.ttLib import TTFont
from PIL import Image
from weasyprint import HTML

from portal.core.pdf import PDF_FONT_FAMILY, STATIC_DIR, PortalURLFetcher, font_path

MM = 72 / 25.4
PAGE_WIDTH = 210 * MM
PAGE_HEIGHT = 297 * MM
SHEET_TEMPLATE = "pdf/certificate_sheet.html"


@dataclass(frozen=True)
class Run:
    """One line of text: top of its line box (mm), left (mm), size (pt), line height (mm)."""

    text: str
    left: float
    top: float
    size: float
    line_height: float
    gray: float = 0.1


@dataclass(frozen=True)
class Page:
    runs: list[Run]
    qr: list[list[bool]]  # rows of modules, dark = True
    photo: bytes | None


class FontMetrics:
    """Glyph ids and advance widths of the embedded font (its first face, as WeasyPrint uses)."""

    def __init__(self, path: Path) -> None:
        font = TTFont(str(path), fontNumber=0, lazy=True)
        units = font["head"].unitsPerEm
        hmtx = font["hmtx"]
        self.glyph = {}
        self.advance = {}
        for code, name in font.getBestCmap().items():
            self.glyph[code] = font.getGlyphID(name)
            self.advance[code] = hmtx[name][0] / units
        # WeasyPrint embeds TrueType outlines with CID = glyph id, which stamping relies on; CFF
        # (OpenType) fonts are embedded differently and are printed by the reference layout.
        self.truetype = font.sfntVersion != "OTTO"
        self.ascent = font["hhea"].ascent / units
        self.descent = -font["hhea"].descent / units

    def covers(self, text: str) -> bool:
        return all(ord(char) in self.glyph for char in text)

    def width(self, text: str) -> float:
        """Width in ems."""
        return sum(self.advance.get(ord(char), 1.0) for char in text)

    def encode(self, text: str) -> str:
        return "".join(f"{self.glyph[ord(char)]:04x}" for char in text)


@functools.cache
def metrics(path: str | None = None) -> FontMetrics:
    return FontMetrics(Path(path) if path else font_path())


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _content(page: Page, fm: FontMetrics, qr_box: tuple[float, float, float]) -> bytes:
    ops = ["q", "/BG Do", "Q"]
    if page.photo is not None:
        left, top, width, height = 148, 72, 33, 45
        ops.append(
            f"q {_number(width * MM)} 0 0 {_number(height * MM)} {_number(left * MM)} "
            f"{_number(PAGE_HEIGHT - (top + height) * MM)} cm /PH Do Q"
        )
    ops.append("BT")
    gray = None
    size = None
    for run in page.runs:
        if not run.text:
            continue
        if run.gray != gray:
            ops.append(f"{_number(run.gray)} g")
            gray = run.gray
        if run.size != size:
            ops.append(f"/F {_number(run.size)} Tf")
            size = run.size
        # The line box is centred on the font's ascent + descent, as in CSS.
        em = run.size
        half_leading = (run.line_height * MM - (fm.ascent + fm.descent) * em) / 2
        baseline = PAGE_HEIGHT - run.top * MM - half_leading - fm.ascent * em
        ops.append(
            f"1 0 0 1 {_number(run.left * MM)} {_number(baseline)} Tm <{fm.encode(run.text)}> Tj"
        )
    ops.append("ET")
    if page.qr:
        left, top, side = qr_box
        module = side * MM / len(page.qr)
        x0 = left * MM
        y0 = PAGE_HEIGHT - top * MM
        rects = []
        for r, row in enumerate(page.qr):
            c = 0
            while c < len(row):
                if row[c]:
                    start = c
                    while c < len(row) and row[c]:
                        c += 1
                    rects.append(
                        f"{_number(x0 + start * module)} {_number(y0 - (r + 1) * module)} "
                        f"{_number((c - start) * module)} {_number(module)} re"
                    )
                else:
                    c += 1
        ops.append("0 g " + " ".join(rects) + " f")
    return "\n".join(ops).encode()


def _image(pdf: pikepdf.Pdf, content: bytes) -> pikepdf.Stream:
    """A JPEG goes in as it is (DCTDecode); anything else is decoded and compressed losslessly."""
    with Image.open(io.BytesIO(content)) as image:
        width, height = image.size
        if image.format == "JPEG" and image.mode in ("RGB", "L"):
            space = pikepdf.Name.DeviceRGB if image.mode == "RGB" else pikepdf.Name.DeviceGray
            data, filters = content, pikepdf.Name.DCTDecode
        else:
            image = image.convert("RGB")
            space = pikepdf.Name.DeviceRGB
            data, filters = zlib.compress(image.tobytes()), pikepdf.Name.FlateDecode
    return pdf.make_stream(
        data,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=width,
        Height=height,
        ColorSpace=space,
        BitsPerComponent=8,
        Filter=filters,
    )


def _sheet(characters: str, context: dict) -> bytes:
    font = font_path()
    html = render_to_string(
        SHEET_TEMPLATE,
        {
            **context,
            "characters": characters,
            "pdf_font_url": font.resolve().as_uri(),
            "pdf_font_family": PDF_FONT_FAMILY,
        },
    )
    document = HTML(
        string=html,
        base_url=STATIC_DIR.resolve().as_uri() + "/",
        url_fetcher=PortalURLFetcher(font=font),
    )
    return document.write_pdf()


def _font_of(page: pikepdf.Page) -> pikepdf.Object:
    for _name, font in page.Resources.Font.items():
        if str(font.BaseFont).endswith("+" + PDF_FONT_FAMILY):
            return font
    raise RuntimeError("the sheet does not use the portal's font")


def stamp(
    pages: list[Page | bytes],
    *,
    context: dict,
    qr_box: tuple[float, float, float],
) -> bytes:
    """One PDF: each item a Page to stamp, or the bytes of a one-page PDF laid out elsewhere."""
    fm = metrics()
    characters = sorted(
        {char for page in pages if isinstance(page, Page) for run in page.runs for char in run.text}
    )
    pdf = pikepdf.open(io.BytesIO(_sheet("".join(characters), context)))
    background, glyphs = pdf.pages[0], pdf.pages[1]
    form = pdf.make_indirect(background.as_form_xobject())
    font = _font_of(glyphs)
    media_box = pikepdf.Array([0, 0, PAGE_WIDTH, PAGE_HEIGHT])
    sources = []
    for page in pages:
        if isinstance(page, bytes):
            source = pikepdf.open(io.BytesIO(page))
            sources.append(source)
            pdf.pages.append(source.pages[0])
            continue
        xobjects = pikepdf.Dictionary(BG=form)
        if page.photo is not None:
            xobjects.PH = _image(pdf, page.photo)
        resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F=font),
            XObject=xobjects,
            ProcSet=pikepdf.Array([pikepdf.Name.PDF, pikepdf.Name.Text, pikepdf.Name.ImageC]),
        )
        pdf.pages.append(
            pikepdf.Page(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Page,
                    MediaBox=media_box,
                    Resources=resources,
                    Contents=pdf.make_stream(_content(page, fm, qr_box)),
                )
            )
        )
    del pdf.pages[0:2]
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in sources:
        source.close()
    return buffer.getvalue()
