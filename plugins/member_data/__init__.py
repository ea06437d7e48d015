"""Member open data: members.csv and members.json (see README.md)."""


def register():
    pass
