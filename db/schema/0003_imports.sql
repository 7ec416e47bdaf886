-- POS imports: one row per run of a file, the rows it rejected, and the column mappings saved as presets.
CREATE TABLE import_runs (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    source TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed', 'dry-run')),
    started_at TEXT NOT NULL,
    finished_at TEXT,
    rows_read INTEGER NOT NULL DEFAULT 0,
    lines_imported INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    customers_created INTEGER NOT NULL DEFAULT 0,
    customers_linked INTEGER NOT NULL DEFAULT 0,
    products_created INTEGER NOT NULL DEFAULT 0,
    report_path TEXT,
    staff_id INTEGER REFERENCES staff(id)
);
CREATE INDEX import_runs_file ON import_runs(file_sha256);

CREATE TABLE import_rejects (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES import_runs(id),
    row_number INTEGER NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('rejected', 'skipped', 'warning')),
    reason TEXT NOT NULL,
    raw TEXT NOT NULL
);
CREATE INDEX import_rejects_run ON import_rejects(run_id);

CREATE TABLE import_presets (
    name TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    mapping TEXT NOT NULL DEFAULT '{}',
    day_first INTEGER,
    updated_at TEXT NOT NULL
)
