"""The web writer: one self-contained, accessible HTML page per prepared variant."""
