"""Tender feeds and data: Atom, iCalendar and OCDS (see README.md)."""


def register():
    pass
