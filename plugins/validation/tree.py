"""No symbolic link anywhere in the folders that are published.

A link under ``content/`` or ``theme/static/`` is followed when the site is
built: a folder linked to one outside the repository, or a file linked to
``.git/config`` or to the environment of the running process, would be
published as if it were content. So every link in these folders is an
error, found before anything is copied into the site.
"""

from __future__ import annotations

import os
from pathlib import Path

from frontmatter.problems import Problem

from .types import CONTENT_TYPES

#: Folders whose files reach the site (the schemas and the profile template
#: are published too).
PUBLISHED_FOLDERS = ("members", "case_studies", "content", "theme", "plugins/validation/schemas", "tools/templates")


def symbolic_link_problems(root: Path) -> list[Problem]:
    """One problem for each symbolic link in :data:`PUBLISHED_FOLDERS`,
    without following any. A link to a file where a content file belongs
    is left to the check of that file, which names it already."""
    root = Path(root)
    content_folders = {str(root / t.folder) for t in CONTENT_TYPES.values()}
    problems = []
    for folder in PUBLISHED_FOLDERS:
        path = root / folder
        if path.is_symlink():
            problems.append(_problem(folder, is_folder=path.is_dir()))
            continue
        pending = [str(path)]
        while pending:
            current = pending.pop()
            try:
                with os.scandir(current) as entries:
                    listed = list(entries)
            except (FileNotFoundError, NotADirectoryError):
                continue
            for entry in listed:
                if entry.is_symlink():
                    if current in content_folders and entry.is_file() and not entry.name.startswith("."):
                        continue  # check_file reports it: "'x.md' is a symbolic link"
                    source = Path(entry.path).relative_to(root).as_posix()
                    problems.append(_problem(source, is_folder=entry.is_dir()))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
    return sorted(problems)


def _problem(source: str, is_folder: bool) -> Problem:
    if is_folder:
        return Problem(source, message="this folder is a symbolic link, which would publish whatever it points to",
                       hint="remove the link and put the files themselves there")
    return Problem(source, message="this file is a symbolic link, which would publish whatever it points to",
                   hint="remove the link and put the file itself there")
