"""Dutch full-text search over the library: from what a user typed to a safe tsquery, and the
highlighted fragment of a hit.

The user's text never reaches `to_tsquery` (whose syntax `&|!():*` would raise on a stray
character): it is cut into plain words, each word becomes `plainto_tsquery('dutch', word)`, a word
with synonyms becomes (word | synonym | …), and the words are combined with AND. PostgreSQL's
`dutch` configuration stems every part, so "huurder" finds "huurders". The synonyms come from the
coordinators' list in the database (no dictionary files in PostgreSQL's share folder, which the
embedded PostgreSQL doesn't have).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat, Left
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from bestpractices.models import Entry, Synonym

CONFIG = "dutch"
# A query longer than this is cut before it is read: nobody searches with a page of text, and the
# cost of a tsquery grows with its words.
MAX_QUERY_CHARS = 200
MAX_TERMS = 20
# Words longer than this are no words (a pasted hash or URL); PostgreSQL skips lexemes over 2 kB.
MAX_TERM_CHARS = 60

_WORD = re.compile(r"\w+", re.UNICODE)

# ts_headline marks a hit with these; they are replaced by <mark> only after everything else in the
# fragment has been escaped, so a document's own text can never become markup.
START_SEL = "\x02"
STOP_SEL = "\x03"
HEADLINE_OPTIONS = {
    "start_sel": START_SEL,
    "stop_sel": STOP_SEL,
    "max_words": 35,
    "min_words": 15,
}
HEADLINE_BODY_CHARS = 2000
_MARKED = re.compile(f"{START_SEL}([^{START_SEL}{STOP_SEL}]*){STOP_SEL}")


def query_terms(text: str | None) -> list[str]:
    """The words of a query: lowercased, without search syntax, each word once, at most
    MAX_TERMS of them from the first MAX_QUERY_CHARS characters."""
    if not text:
        return []
    terms: list[str] = []
    for word in _WORD.findall(text[:MAX_QUERY_CHARS].lower()):
        word = word.strip("_")
        if word and len(word) <= MAX_TERM_CHARS and word not in terms:
            terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


def normalise_term(text: str) -> str:
    """A synonym list's term or synonym as the query sees it: lowercase words, single spaces."""
    return " ".join(_WORD.findall(text.lower())).replace("_", " ").strip()


def expand(terms: Sequence[str], synonyms: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Per term the alternatives it stands for: the term, its synonyms and the terms it is a
    synonym of (the list works both ways: "bijstand" finds "Participatiewet" and back)."""
    reverse: dict[str, list[str]] = {}
    for term, alternatives in synonyms.items():
        for alternative in alternatives:
            reverse.setdefault(alternative, []).append(term)
    groups = []
    for term in terms:
        group = [term]
        for alternative in [*synonyms.get(term, ()), *reverse.get(term, ())]:
            if alternative and alternative not in group:
                group.append(alternative)
        groups.append(group)
    return groups


def build_query(
    text: str | None, synonyms: Mapping[str, Iterable[str]] | None = None
) -> SearchQuery | None:
    """The tsquery for `text` (None when it holds no words: the caller shows everything, or
    nothing, but never fails). Every word is a bound parameter of plainto_tsquery."""
    terms = query_terms(text)
    if not terms:
        return None
    query: SearchQuery | None = None
    for group in expand(terms, synonyms or {}):
        either: SearchQuery | None = None
        for alternative in group:
            part = SearchQuery(alternative, config=CONFIG, search_type="plain")
            either = part if either is None else either | part
        query = either if query is None else query & either
    return query


def highlight(headline: str | None) -> SafeString:
    """A ts_headline fragment as HTML: everything escaped, the hits in <mark>."""
    if not headline:
        return SafeString("")
    escaped = escape(headline)  # the sentinels are control characters: escape leaves them alone
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    # safe: escaped above, and the only markup added is <mark> around escaped text
    return mark_safe(marked.replace(START_SEL, "").replace(STOP_SEL, ""))  # noqa: S308


# ---------------------------------------------------------------- reading the library


RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D, C, B, A: title and tags above summary above body


def synonyms_for(terms: Sequence[str]) -> dict[str, list[str]]:
    """The coordinators' synonym rows that touch these terms, as term or as synonym (one
    query, on the unique index of `term` and the rows' arrays)."""
    if not terms:
        return {}
    rows = Synonym.objects.filter(Q(term__in=terms) | Q(synonyms__overlap=list(terms)))
    return {term: list(synonyms) for term, synonyms in rows.values_list("term", "synonyms")}


def query_for(text: str | None) -> SearchQuery | None:
    """The tsquery of a user's search text with the synonyms applied; None without words."""
    terms = query_terms(text)
    if not terms:
        return None
    return build_query(text, synonyms_for(terms))


def entries_matching(entries: QuerySet[Entry], query: SearchQuery) -> QuerySet[Entry]:
    """The entries that match, best first (title and tags above summary above body), each with
    `rank` and `headline` (ts_headline of summary and body; show it through `highlight`)."""
    return (
        entries.filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query, weights=RANK_WEIGHTS),
            headline=SearchHeadline(
                # the fragment's cost grows with the text: the summary and the body's start
                Concat(
                    "summary",
                    Value("\n"),
                    Left("body", HEADLINE_BODY_CHARS),
                    output_field=TextField(),
                ),
                query,
                config=CONFIG,
                **HEADLINE_OPTIONS,
            ),
        )
        .order_by("-rank", "title", "pk")
    )
