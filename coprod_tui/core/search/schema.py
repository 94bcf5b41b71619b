"""The index file's tables, its version, and the checks that it is ours and whole.

Bump :data:`SCHEMA` whenever the tables or the text analysis change: an index
of another version is simply rebuilt (it is derived; nothing is lost).

* ``files``  — one row per case file: its fingerprint (inode, mtime_ns,
  size; an mtime of -1 means "re-read next time": the file was read while
  racy), whether it is in the trash, title, template and tags;
* ``docs``   — one row per indexed (case, section): ``section_id`` is the id
  as stored in the case, ``""`` for the row holding the title and tags;
* ``sec``    — the FTS5 table, rowid = ``docs.id``, the text in NFC
  (``unicode61``, diacritics kept: å, ä, ö are letters);
* ``tags``   — (folded tag, case id), for ``tag:`` filters;
* ``lex`` + ``lextri`` — every folded word the index has seen, with its
  base form (diacritics off), and a trigram index over both: how a query
  word finds the words it stands inside (compounds) and the forms with
  diacritics of a word typed without them. The lexicon only grows between
  rebuilds; a word no longer in any case just matches nothing.
"""

from __future__ import annotations

import sqlite3

SCHEMA = 1

TABLES = frozenset(
    {"meta", "files", "docs", "tags", "sec", "lex", "lextri", "lex_added", "docs_case", "tags_case"}
)

CREATE = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(
    case_id TEXT PRIMARY KEY,
    ino INTEGER NOT NULL, mtime INTEGER NOT NULL, size INTEGER NOT NULL,
    trashed INTEGER NOT NULL, damaged INTEGER NOT NULL DEFAULT 0,
    title TEXT NOT NULL, template_id TEXT NOT NULL
);
CREATE TABLE docs(id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, section_id TEXT NOT NULL);
CREATE TABLE tags(tag TEXT NOT NULL, case_id TEXT NOT NULL, PRIMARY KEY(tag, case_id))
    WITHOUT ROWID;
CREATE VIRTUAL TABLE sec USING fts5(body, tokenize="unicode61 remove_diacritics 0");
CREATE TABLE lex(id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE, base TEXT NOT NULL);
CREATE INDEX lex_base ON lex(base);
CREATE VIRTUAL TABLE lextri USING fts5(word, base, tokenize="trigram", content='');
PRAGMA user_version = {SCHEMA};
"""

#: The lookups by case (a catch-up's removals); a fresh build makes them after the rows.
INDEXES = """
CREATE INDEX docs_case ON docs(case_id);
CREATE INDEX tags_case ON tags(case_id);
"""

#: Keeps ``lextri`` in step with ``lex`` for the words a catch-up adds. A fresh build
#: makes it only after filling both tables in bulk (:func:`finish_bulk`): run
#: once per word it cost five times the bulk insert (~100 ms of a 2,000-case build).
LEX_TRIGGER = """
CREATE TRIGGER lex_added AFTER INSERT ON lex BEGIN
    INSERT INTO lextri(rowid, word, base) VALUES (new.id, new.word, new.base);
END;
"""


def create(conn: sqlite3.Connection, *, bulk: bool = False) -> None:
    """Make the tables in an empty database.

    ``bulk`` (a fresh build) leaves out the indexes by case and the lexicon's
    trigger: :func:`finish_bulk` makes them once the rows are in.
    """
    conn.executescript(CREATE + ("" if bulk else INDEXES + LEX_TRIGGER))


def finish_bulk(conn: sqlite3.Connection) -> None:
    """After a bulk fill: index the rows by case, fill ``lextri`` from ``lex`` in one
    statement, and make the trigger that keeps it in step from now on."""
    for statement in INDEXES.strip().splitlines():
        conn.execute(statement)
    conn.execute("INSERT INTO lextri(rowid, word, base) SELECT id, word, base FROM lex")
    conn.execute(LEX_TRIGGER)


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether the database is an index of this version with every table (else rebuild).

    Raises ``sqlite3.DatabaseError`` for a file that is not a database at all.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA:
        return False
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    if not names >= TABLES:
        return False
    # Touch each table once: a damaged page or a table of the wrong shape fails here.
    conn.execute(
        "SELECT case_id, ino, mtime, size, trashed, damaged, title, template_id FROM files LIMIT 1"
    ).fetchall()
    conn.execute("SELECT id, case_id, section_id FROM docs LIMIT 1").fetchall()
    conn.execute("SELECT tag, case_id FROM tags LIMIT 1").fetchall()
    conn.execute("SELECT id, word, base FROM lex LIMIT 1").fetchall()
    conn.execute("SELECT rowid FROM sec WHERE sec MATCH '\"x\"' LIMIT 1").fetchall()
    return True
