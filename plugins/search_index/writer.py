"""The plugin's three steps, one per Pelican signal.

1. ``check`` (initialized): fill in and check the settings, and check
   that lunr.js is installed, so a bad set-up fails before any work.
2. ``prepare`` (all_generators_finalized): once the content types plugin
   has read and related everything, build the indexes and tell the
   templates where the index is (``search_index_url``).
3. ``write`` (finalized): write the index files and copy lunr.min.js into
   the theme's static folder of the output.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import incremental
from incremental import parallel
from validation.types import CONTENT_TYPES

from .documents import apply_document_changes, document_changes, documents_kept, search_documents
from .files import SearchFiles, search_files
from .settings import check_settings, report

logger = logging.getLogger(__name__)

#: The lunr.js release whose index format lunr (Python) writes.
LUNR_JS_VERSION = "2.3.9"

_state: dict = {}


def check(pelican) -> None:
    settings = pelican.settings
    report(check_settings(settings, list(CONTENT_TYPES)))
    problem = lunr_js_problem(Path(settings["PATH"]), settings["SEARCH_LUNR_JS"])
    if problem:
        logger.error("search_index: %s", problem)


def lunr_js_problem(root: Path, relative: str) -> str | None:
    """Why lunr.min.js cannot be used, or None."""
    script = root / relative
    if not script.is_file():
        return (f"{relative} is missing, so search would not work; run `make setup` "
                f"(it runs `npm ci`, which installs lunr {LUNR_JS_VERSION} from package.json)")
    package = script.parent / "package.json"
    try:
        version = json.loads(package.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None  # a copied script without its package.json: trust it
    if version != LUNR_JS_VERSION:
        return (f"{relative} is lunr {version}, but lunr (Python) writes indexes for lunr.js "
                f"{LUNR_JS_VERSION}; pin \"lunr\": \"{LUNR_JS_VERSION}\" in package.json and run `make setup`")
    return None


def prepare(generators) -> None:
    content = incremental.published()
    if content is None:
        logger.error("search_index: no content types generator ran, so there is nothing to index")
        return
    settings = content.settings
    known = _state.get("indexes")
    # What every document is made from besides its own file and relations.
    key = content.shared_key
    # A large site makes the documents and the index in a second process
    # while the pages are written. A rebuild in the same process (make
    # serve) keeps the last build's documents, indexes and what each text
    # came to, so only what changed is made again; the second process
    # sends back only that (see _changes).
    count = sum(len(items) for items in content.site.values())
    in_background = count >= settings["SEARCH_BACKGROUND_FROM"]
    # What only the next build in this process would use is not kept (nor
    # sent back from the second process) when no build follows.
    keep = incremental.remembering()
    analysed = _state.pop("analysed", {})
    _state["files"] = parallel.start(_documents_and_files, (content.site, content.context, key, settings, known,
                                                            analysed, keep, in_background),
                                     in_background=in_background)
    if in_background:  # what the second process's changes apply to
        _state["analysed"] = analysed
    _state["keep"], _state["in_background"] = keep, in_background
    _state["started"] = time.perf_counter()
    content.context["search_index_url"] = f"{settings['SEARCH_INDEX_PATH'].strip('/')}/index.json"


def _documents_and_files(site, context, key, settings, known, analysed, keep: bool, elsewhere: bool) -> SearchFiles:
    kept_documents = documents_kept()
    # With no build after this one, nothing is kept, and no object's
    # relations need be found to say whether its document may be (1.9 s of
    # CPU at ten thousand members, in cProfile).
    documents = search_documents(site, context, key if keep else None)
    files = search_files(documents, settings, CONTENT_TYPES, known, (analysed, {}))
    if not keep:
        files.indexes, files.analysed = {}, {}
    elif elsewhere:
        files.changes = _changes(files, known or {}, analysed, kept_documents)
        files.indexes, files.analysed = {}, {}
    return files


def _changes(files: SearchFiles, known: dict, analysed: dict, kept_documents) -> dict:
    """What a second process sends back for the next build in this one:
    what it made anew, not what this process has already. At ten thousand
    members, sending everything back (every text, twice) would cost more
    than making the index here.

    - the indexes: the new ones, and which of the old ones are still used;
    - what each text came to: the new entries, merged into the old ones
      (so a long make serve session keeps the old texts of edited
      documents too, until they outnumber a tenth of all: then the whole
      table is sent, and replaces the old one);
    - the documents: the new ones, and the paths of all
      (documents.apply_document_changes)."""
    now = files.analysed
    new_texts = {entry: found for entry, found in now.items() if analysed.get(entry) is not found}
    stale = len(analysed) + len(new_texts) - len(now)
    replace = stale > len(now) // 10
    return {
        "indexes": {digest: index for digest, index in files.indexes.items() if digest not in known},
        "kept_indexes": [digest for digest in files.indexes if digest in known],
        "analysed": now if replace else new_texts,
        "replace_analysed": replace,
        "documents": document_changes(kept_documents),
    }


def _apply(changes: dict) -> None:
    known = _state.get("indexes") or {}
    indexes = {digest: known[digest] for digest in changes["kept_indexes"]}
    indexes.update(changes["indexes"])
    analysed = changes["analysed"] if changes["replace_analysed"] else {**_state.get("analysed", {}),
                                                                         **changes["analysed"]}
    _state["indexes"], _state["analysed"] = indexes, analysed
    apply_document_changes(changes["documents"])


def settings_folder(settings: dict) -> str:
    return settings["SEARCH_INDEX_PATH"].strip("/")


def write(pelican) -> None:
    pending = _state.pop("files", None)
    if pending is None:
        return
    try:
        files: SearchFiles = pending.result()
    except parallel.BackgroundError as error:
        logger.error("search_index: could not build the search index: %s", error)
        return
    made_elsewhere = _state.pop("in_background")
    if _state.pop("keep"):  # for the next build in this process (make serve)
        if made_elsewhere:
            _apply(files.changes)
        else:  # made here: search_documents has kept the documents already
            _state["indexes"], _state["analysed"] = files.indexes, files.analysed
    else:
        _state.pop("indexes", None)
        _state.pop("analysed", None)
    logger.info("search_index: indexed %d documents (%.1f s after the pages started)", files.documents,
                time.perf_counter() - _state.pop("started"))
    output = Path(pelican.output_path)
    for relative, data in files.files.items():
        path = output / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    # A build updating the site in place (make serve) finds the shards of
    # the last one, named by their content: those no longer used go.
    folder = output / settings_folder(pelican.settings)
    for old in folder.glob("text-*.json"):
        if f"{folder.relative_to(output).as_posix()}/{old.name}" not in files.files:
            old.unlink()
    settings = pelican.settings
    source = Path(settings["PATH"]) / settings["SEARCH_LUNR_JS"]
    if source.is_file():  # if not, check() has already failed the build
        target = output / settings.get("THEME_STATIC_DIR", "theme") / "js" / "lunr.min.js"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
