"""Trình chiếu: the conference deck as full-screen slides, with the PPTX/PDF/XLSX downloads."""

from ui import filters, slides

f = filters.current()
deck = slides.deck_for(f)
slides.show(deck, f)
