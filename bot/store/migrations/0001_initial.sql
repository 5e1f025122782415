-- Entries of five kinds, the article's paragraphs, revisions and a full-text index kept in sync by triggers.
CREATE TABLE paragraphs (
    number INTEGER PRIMARY KEY,
    text   TEXT NOT NULL
);

CREATE TABLE entries (
    pk              INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('fact', 'quote', 'event', 'person', 'term')),
    text            TEXT NOT NULL,
    topic           TEXT,
    speaker         TEXT,
    context         TEXT,
    when_text       TEXT,
    sort_key        INTEGER,
    name            TEXT,
    role            TEXT,
    term            TEXT,
    keywords        TEXT NOT NULL DEFAULT '[]',
    paragraphs      TEXT NOT NULL DEFAULT '[]',
    source          TEXT,
    is_context      INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    deleted_at      TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    search_title    TEXT NOT NULL DEFAULT '',
    search_body     TEXT NOT NULL DEFAULT '',
    search_keywords TEXT NOT NULL DEFAULT ''
);
CREATE INDEX entries_by_kind ON entries (kind, deleted_at);
CREATE INDEX entries_by_sort ON entries (kind, sort_key);

CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    entry_id   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    action     TEXT NOT NULL,
    actor_id   TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    at         TEXT NOT NULL,
    before     TEXT,
    after      TEXT,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX revisions_by_entry ON revisions (entry_id, id);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The index holds pre-stemmed words (see bot/text.py), so the tokenizer only splits on spaces.
CREATE VIRTUAL TABLE entries_fts USING fts5 (title, body, keywords, tokenize = 'unicode61');
CREATE VIRTUAL TABLE entries_vocab USING fts5vocab (entries_fts, 'row');

-- Soft-deleted entries leave the index; every write path goes through these triggers.
CREATE TRIGGER entries_ai AFTER INSERT ON entries WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO entries_fts (rowid, title, body, keywords)
    VALUES (new.pk, new.search_title, new.search_body, new.search_keywords);
END;

CREATE TRIGGER entries_ad AFTER DELETE ON entries BEGIN
    DELETE FROM entries_fts WHERE rowid = old.pk;
END;

CREATE TRIGGER entries_au AFTER UPDATE ON entries BEGIN
    DELETE FROM entries_fts WHERE rowid = old.pk;
    INSERT INTO entries_fts (rowid, title, body, keywords)
    SELECT new.pk, new.search_title, new.search_body, new.search_keywords WHERE new.deleted_at IS NULL;
END;
