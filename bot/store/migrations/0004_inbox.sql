-- The inbox: questions the bot could not answer and answers readers reported as wrong, grouped by the answer
-- engine's key for a question (near-identical questions share one item).  Askers are kept only as a salted hash,
-- to count distinct askers; the salt is made here, once per store, and never leaves it.
CREATE TABLE inbox_items (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('unanswered', 'reported')),
    key        TEXT NOT NULL,
    entry_id   TEXT NOT NULL DEFAULT '',
    count      INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE UNIQUE INDEX inbox_items_by_key ON inbox_items (kind, key, entry_id);
CREATE INDEX inbox_items_by_age ON inbox_items (last_seen);
CREATE INDEX inbox_items_by_count ON inbox_items (count DESC, last_seen DESC);

-- The latest asks of an item (what was typed, where and when); older ones are dropped past a cap per item.
CREATE TABLE inbox_asks (
    id      INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES inbox_items (id) ON DELETE CASCADE,
    text    TEXT NOT NULL,
    place   TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX inbox_asks_by_item ON inbox_asks (item_id, id);
CREATE INDEX inbox_asks_by_age ON inbox_asks (at);

CREATE TABLE inbox_askers (
    item_id INTEGER NOT NULL REFERENCES inbox_items (id) ON DELETE CASCADE,
    asker   TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (item_id, asker)
) WITHOUT ROWID;
CREATE INDEX inbox_askers_by_age ON inbox_askers (at);

-- One report per asker per item (a question and the entry given); the comment may be empty.
CREATE TABLE inbox_reports (
    item_id INTEGER NOT NULL REFERENCES inbox_items (id) ON DELETE CASCADE,
    asker   TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    at      TEXT NOT NULL,
    PRIMARY KEY (item_id, asker)
) WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('inbox_salt', lower(hex(randomblob(16))));
