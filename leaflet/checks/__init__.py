"""The checks that keep a leaflet safe to hand out, and their reports."""
