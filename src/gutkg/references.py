"""References as plain records, and the short citations shown beside claims ("Arrieta et al. 2006")."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from gutkg.namespaces import prologue
from gutkg.store import Store

QUERY = (
    prologue("dcterms", "bibo", "gkv", "rdfs")
    + """
SELECT ?ref ?title ?creator ?year ?journal ?volume ?issue ?pages ?doi ?pmid ?level ?verifiedBy WHERE {
  ?ref a ?t . ?t rdfs:subClassOf* bibo:Document .
  OPTIONAL { ?ref dcterms:title ?title }
  OPTIONAL { ?ref dcterms:creator ?creator }
  OPTIONAL { ?ref dcterms:issued ?year }
  OPTIONAL { ?ref gkv:journal ?journal }
  OPTIONAL { ?ref bibo:volume ?volume }
  OPTIONAL { ?ref bibo:issue ?issue }
  OPTIONAL { ?ref bibo:pages ?pages }
  OPTIONAL { ?ref bibo:doi ?doi }
  OPTIONAL { ?ref bibo:pmid ?pmid }
  OPTIONAL { ?ref gkv:verification ?level }
  OPTIONAL { ?ref gkv:verifiedBy ?verifiedBy }
}"""
)


def short_citation(creator: str, year: str | int | None, title: str = "") -> str:
    """First author's surname, "& second" or "et al.", and the year; when no author was seen in
    the record, the title's first words instead (never an invented name).

    >>> short_citation("Arrieta MC; Bistritz L; Meddings JB", 2006)
    'Arrieta et al. 2006'
    >>> short_citation("Hollander D; Kaunitz JD", "2020")
    'Hollander & Kaunitz 2020'
    >>> short_citation("Manfredo Vieira S; Hiltensperger M; et al.", 2018)
    'Manfredo Vieira et al. 2018'
    >>> short_citation("Quigley EMM", 2016)
    'Quigley 2016'
    >>> short_citation("[author list not seen]", 2014, "Compromised gut microbiota networks in children")
    '“Compromised gut microbiota networks…” 2014'
    >>> short_citation("", 2014, "Compromised gut microbiota networks in children with anti-islet cell autoimmunity")
    '“Compromised gut microbiota networks…” 2014'
    """
    # a bracketed note ("[author list not seen in the record read]") is not an author
    authors = [a.strip() for a in (creator or "").split(";") if a.strip() and not a.strip().startswith("[")]
    names = [_surname(a) for a in authors if a.lower() != "et al."]
    more = len(authors) > 2 or any(a.lower() == "et al." for a in authors)
    if not names and title:
        words = title.split()
        text = "“" + " ".join(words[:4]) + ("…" if len(words) > 4 else "") + "”"
    elif not names:
        text = "Anonymous"
    elif len(names) == 1 and not more:
        text = names[0]
    elif len(names) == 2 and not more:
        text = f"{names[0]} & {names[1]}"
    else:
        text = f"{names[0]} et al."
    return f"{text} {year}" if year else text


def _surname(author: str) -> str:
    parts = author.split()
    if len(parts) > 1 and parts[-1].isupper() and len(parts[-1]) <= 4:
        return " ".join(parts[:-1])
    return author


@dataclass(frozen=True)
class Reference:
    """A bibliographic reference of the graph, keyed by its local name (``arrieta2006``)."""

    key: str
    iri: str
    title: str = ""
    creator: str = ""
    year: int | None = None
    journal: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    verification: str = ""
    verified_by: str = ""

    @property
    def citation(self) -> str:
        return short_citation(self.creator, self.year, self.title)

    @property
    def url(self) -> str:
        """A link to the paper: the DOI resolver, else PubMed."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return ""

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "citation": self.citation, "url": self.url}


def references(store: Store) -> dict[str, Reference]:
    """Every reference in ``store``, by key."""
    out: dict[str, Reference] = {}
    for row in store.query(QUERY).dicts():
        iri = str(row["ref"])
        key = iri.rstrip("/").rsplit("/", 1)[-1]
        if key in out:
            continue
        level = str(row.get("level") or "")
        out[key] = Reference(
            key=key,
            iri=iri,
            title=str(row.get("title") or ""),
            creator=str(row.get("creator") or ""),
            year=_int(row.get("year")),
            journal=str(row.get("journal") or ""),
            volume=str(row.get("volume") or ""),
            issue=str(row.get("issue") or ""),
            pages=str(row.get("pages") or ""),
            doi=str(row.get("doi") or ""),
            pmid=str(row.get("pmid") or ""),
            verification="verified" if level.endswith("#Verified") else ("partially verified" if level else ""),
            verified_by=str(row.get("verifiedBy") or ""),
        )
    return out


def _int(value: object) -> int | None:
    try:
        return int(str(value)[:4]) if value is not None else None
    except ValueError:
        return None
