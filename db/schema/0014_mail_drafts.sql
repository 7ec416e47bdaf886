-- The owner's words: drafts of an announcement (per product) or of the refill reminder, with an optional
-- picture and an optional second variant (A/B); the variant each recipient got; pictures stored once.

-- A picture is kept once however many emails carry it: the outbox's stored message holds a marker that the
-- sender replaces with the picture just before handing the email to the server.
CREATE TABLE mail_pictures (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    data BLOB NOT NULL
);

-- One draft per announced product and one for the refill reminder (product_id NULL); kept until changed.
CREATE TABLE mail_drafts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('announce', 'refill')),
    product_id INTEGER REFERENCES products(id),
    subject TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    subject_b TEXT NOT NULL DEFAULT '',  -- variant B's subject ('' = the same as A)
    message_b TEXT NOT NULL DEFAULT '',  -- variant B's message ('' = the same as A); both '' = no A/B split
    picture_id INTEGER REFERENCES mail_pictures(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES staff(id)
);
CREATE UNIQUE INDEX mail_drafts_key ON mail_drafts(kind, COALESCE(product_id, 0));

-- Which variant (A or B) a recipient got; NULL without an A/B split and for the control group.
ALTER TABLE mail_decisions ADD COLUMN variant TEXT CHECK (variant IN ('A', 'B'));
-- The picture whose marker the stored message carries.
ALTER TABLE mail_outbox ADD COLUMN picture_id INTEGER REFERENCES mail_pictures(id);
