"""The PDF writer: layout, tagging and the file itself."""
