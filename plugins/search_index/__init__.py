"""Search index built at build time (see README.md)."""


def register():
    pass
