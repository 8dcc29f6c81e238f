"""OCR of page images (scanned PDF pages, image files): see `page.ocr_page`.

Nothing here is imported until a page without a text layer turns up.
"""
