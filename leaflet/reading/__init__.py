"""Reading: YAML files to the typed content model and the brand theme, with every mistake located."""
