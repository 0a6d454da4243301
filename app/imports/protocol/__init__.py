"""Protocols: parsing the text of a Word/PDF/text protocol, and planning/applying it to the record."""
