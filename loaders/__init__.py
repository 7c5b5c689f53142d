"""Importers of outside formats into the catalogue (the SNDS schema, data dictionaries...)."""
