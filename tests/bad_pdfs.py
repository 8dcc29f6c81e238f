"""Generated PDFs that cannot be read as text, shared by the bad-input tests (no binaries)."""

from __future__ import annotations

from io import BytesIO


def encrypted_pdf() -> bytes:
    """A one-line PDF that needs a password."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=StandardEncryption("secret", canPrint=0))
    pdf.drawString(72, 720, "2023 department final accounts")
    pdf.save()
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A page holding only a picture: what a scanner makes, with no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (600, 300), 255)
    ImageDraw.Draw(image).rectangle((40, 40, 560, 260), outline=0, width=4)
    png = BytesIO()
    image.save(png, "PNG")
    png.seek(0)
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawImage(ImageReader(png), 72, 400, 450, 225)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
