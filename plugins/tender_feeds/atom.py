"""The Atom feed of tenders (RFC 4287), newest first, written with
feedgenerator (Pelican's own feed library)."""

from __future__ import annotations

import io
from html import escape

from feedgenerator import Atom1Feed

from .common import example_title, page_url, stable_id, start_of, uk_date, uk_time, value_in_words


def tender_feed(tenders: list, settings: dict, vocabularies: dict) -> bytes:
    """The feed as UTF-8 XML. Tenders without a published date (past ones
    recorded from the case studies) are left out: a feed entry needs one."""
    siteurl, sitename = settings["SITEURL"], settings["SITENAME"]
    path = settings["TENDER_FEEDS_ATOM_PATH"]
    feed = Atom1Feed(
        title=f"Tender opportunities – {sitename}",
        link=page_url(siteurl, "tenders/"),
        description="Contract opportunities for voluntary, community and social enterprise organisations, "
                    "newest first, with their deadlines and possible partners.",
        language="en-GB",
        author_name=sitename,
        feed_url=page_url(siteurl, path),
        feed_guid=f"urn:uuid:{stable_id(siteurl, path, 'feed')}",
    )
    dated = [t for t in tenders if t.published is not None]
    dated.sort(key=lambda t: (t.published, t.deadline.timestamp() if t.deadline else 0, t.title), reverse=True)
    for tender in dated[: settings["TENDER_FEEDS_ATOM_MAX_ENTRIES"]]:
        meta = tender.metadata
        feed.add_item(
            title=example_title(tender),
            link=page_url(siteurl, tender.url),
            description=escape(meta["description"]),
            content=_entry_html(tender, siteurl, vocabularies),
            unique_id=f"urn:uuid:{stable_id(siteurl, tender.url, 'tender')}",
            pubdate=start_of(tender.published),
            categories=[vocabularies["services"].label(s) for s in meta["services"]],
            author_name=meta["buyer"]["name"],
        )
    buffer = io.StringIO()
    feed.write(buffer, "utf-8")
    return buffer.getvalue().encode("utf-8")


def _entry_html(tender, siteurl: str, vocabularies: dict) -> str:
    """The entry's content: the description and the facts a reader decides
    on, every value escaped."""
    meta = tender.metadata
    facts = [("Buyer", escape(meta["buyer"]["name"]))]
    if tender.deadline is not None:
        facts.append(("Deadline", escape(uk_time(tender.deadline)) + " (UK time)"))
    if tender.bid_window_days is not None:
        window = f"{tender.bid_window_days} days from publication on {uk_date(tender.published)}"
        if tender.short_window:
            window += ", shorter than the six weeks consortia need to form"
        facts.append(("Bid window", escape(window)))
    value = value_in_words(meta.get("value"))
    if value:
        facts.append(("Value", escape(value)))
    facts.append(("Services", escape(", ".join(vocabularies["services"].label(s) for s in meta["services"]))))
    facts.append(("Delivery areas", escape(", ".join(vocabularies["areas"].label(a) for a in meta["deliveryAreas"]))))
    notice = meta.get("notice") or {}
    if notice.get("url"):
        source = vocabularies["notice_sources"].label(notice["source"])
        facts.append(("Official notice", f'<a href="{escape(notice["url"])}">{escape(source)}</a>'))
    items = "".join(f"<li>{name}: {text}</li>" for name, text in facts)
    link = escape(page_url(siteurl, tender.url))
    return (f"<p>{escape(meta['description'])}</p><ul>{items}</ul>"
            f'<p><a href="{link}">Status, possible partners and interested members</a></p>')
