"""The core: content model, audience selection, citations, theme, page design, errors, dates; no ReportLab."""
