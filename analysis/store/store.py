"""The ``Store`` facade: one database and one repository per concern, behind the old method names.

Callers keep calling ``store.start_run(...)`` or ``store.save_document(...)``; ``Store`` forwards
each public name to the one part that defines it, so no signature is written twice. Code may also
name the part, ``store.runs.start_run(...)``, and so say which concern it touches.

- ``store.db`` (``engine.py``): engine, sessions, writer locks, compaction, close
- ``store.runs`` (``runs.py``): pipeline runs and the audit trail of DAG runs
- ``store.documents`` (``documents.py``): documents, pages, chunks, source paths, quarantine, erasure
- ``store.embeddings`` (``embeddings.py``): chunk vectors and the index versions that hold them
- ``store.results`` (``results.py``): the jobs' input, their results and their failures
- ``store.queries`` (``queries.py``): search hits, kept searches, overviews and counts
- ``store.answers`` (``answers.py``): questions put to ``ask``, their answers and cited sentences
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analysis.config import Config
from analysis.store.answers import Answers
from analysis.store.documents import Documents
from analysis.store.embeddings import Embeddings
from analysis.store.engine import Database
from analysis.store.queries import Queries
from analysis.store.results import Results
from analysis.store.runs import Runs

# the attribute of a Store that holds each part, in the order they are set up
PARTS: dict[str, type] = {
    "db": Database,
    "runs": Runs,
    "documents": Documents,
    "embeddings": Embeddings,
    "results": Results,
    "queries": Queries,
    "answers": Answers,
}

if TYPE_CHECKING:  # type checkers and editors see every forwarded method with its real signature

    class _Forwarded(Database, Runs, Documents, Embeddings, Results, Queries, Answers): ...

else:
    _Forwarded = object


class Store(_Forwarded):
    """The system of record: documents, chunks, vectors, runs and quarantine."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.db = Database(url)
        self.engine = self.db.engine
        self.runs = Runs(self.db)
        self.documents = Documents(self.db)
        self.embeddings = Embeddings(self.db)
        self.results = Results(self.db)
        self.queries = Queries(self.db)
        self.answers = Answers(self.db)

    def __getattr__(self, name: str) -> Any:  # only asked for names a Store does not have itself
        part = _OWNER.get(name)
        if part is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(getattr(self, part), name)

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *_OWNER})

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()


def forwarding_table(parts: dict[str, type], own: set[str]) -> dict[str, str]:
    """Public method name -> the part that defines it; refuses a name two parts define, or one that
    the facade itself has (it would never be forwarded)."""
    owner: dict[str, str] = {}
    for attribute, cls in parts.items():
        for name in dir(cls):
            if name.startswith("_"):
                continue
            if name in owner:
                raise TypeError(f"Store.{name} is defined by both {owner[name]} and {attribute}")
            if name in own:
                raise TypeError(f"Store.{name} of {attribute} is hidden by the facade's own {name}")
            owner[name] = attribute
    return owner


_OWNER = forwarding_table(PARTS, {name for name in vars(Store) if not name.startswith("_")} | {"url", "engine", *PARTS})


def open_store(config: Config) -> Store:
    """The configured store, creating the home folder that a SQLite file lives in."""
    config.home.mkdir(parents=True, exist_ok=True)
    return Store(config.database_url)
