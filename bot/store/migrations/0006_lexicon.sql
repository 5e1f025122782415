-- The moderators' additions to the shipped lexicon (data/lexicon.json): one JSON document in the lexicon's shape,
-- validated as a whole before it is written, and a version that moves with every change (the answer engine
-- reloads the additions when it sees a new one, also after another process's change).
CREATE TABLE lexicon_additions (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    document   TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT
);
INSERT INTO lexicon_additions (id, document, version, updated_at) VALUES (1, '{}', 0, NULL);
