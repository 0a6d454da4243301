"""Samverkan API: the system of record for health and care collaboration in Västerbotten."""
