-- Quiz scores: one row per player on each board (a server, a group DM, or one person's own DMs).
CREATE TABLE quiz_scores (
    board      TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    points     INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    answered   INTEGER NOT NULL DEFAULT 0 CHECK (answered >= points),
    first_at   TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (board, user_id)
);
CREATE INDEX quiz_scores_by_points ON quiz_scores (board, points DESC);
