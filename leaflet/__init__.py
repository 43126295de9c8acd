"""leaflet: branded, printable A4 patient information leaflets from one YAML file."""

__version__ = "0.1.0"
