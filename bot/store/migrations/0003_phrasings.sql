-- Questions moderators taught an entry (a JSON list of strings, like keywords); the few entries that have any
-- are found through a partial index, so the answer engine's list of taught questions stays cheap at any size.
ALTER TABLE entries ADD COLUMN phrasings TEXT NOT NULL DEFAULT '[]';
CREATE INDEX entries_phrased ON entries (id) WHERE phrasings != '[]' AND deleted_at IS NULL;

-- A number that moves with every change to an entry, whoever makes it: readers of the entries (the answer
-- engine's vocabulary and its list of taught questions) reload when it moves, and not for other writes (the
-- inbox records questions all the time).
INSERT INTO meta (key, value) VALUES ('entries_generation', '0');

CREATE TRIGGER entries_generation_ai AFTER INSERT ON entries BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'entries_generation';
END;

CREATE TRIGGER entries_generation_au AFTER UPDATE ON entries BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'entries_generation';
END;

CREATE TRIGGER entries_generation_ad AFTER DELETE ON entries BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'entries_generation';
END;
