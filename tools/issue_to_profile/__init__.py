"""Turn an issue made with the member form into a change to the content.

    python -m tools.issue_to_profile issue-body.md --issue 42

The parts, in the order the data flows:

* :mod:`.issue_body` reads the issue's text back into one answer per
  question of the form (``### Label`` sections, as GitHub writes them),
  refusing text that is not the form's;
* :mod:`.answers` turns the answers into profile fields, with the form's
  own labels and choices (tools/issue_form.py), so the two cannot drift;
* :mod:`.profile_text` writes those fields into a profile file, or changes
  only them in an existing one, and adds a member to a tender;
* :mod:`.convert` decides what the request is (a new profile, an update,
  "nothing has changed", interest in a tender), checks the result as
  ``make check`` would, and names the one file it may write.

Whatever goes wrong is a :class:`RequestError` whose message is written for
the person who opened the issue: what is wrong and how to fix it.
"""

from .issue_body import RequestError  # noqa: F401
from .convert import Change, convert, write  # noqa: F401
