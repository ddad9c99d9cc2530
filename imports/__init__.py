"""Spreadsheet import: XLSX/CSV files applied with the register services' rules.

Every row is checked with the rules of the services the forms and the API use (their
query-free parts: operator_build, miniprogram_apply, person_build, … and full_clean without
queries), then each sheet is written in bulk, inside one transaction: the preview rolls it
back, the commit keeps it only if no row failed. The queries per file are a constant.
Matching makes a second import of the same file a no-op: operators by USCC (individuals by
name), mini-programs by platform + AppID, domains by name, persons by the keyed hash of
their ID number.

Headers are fixed bilingual identifiers (the column key, its English or its Chinese
heading), recognised whatever the interface language, so a file filled in by a client in
Chinese imports the same as one filled in in English.

Modules: `columns` (sheets and headings), `cells` (one cell → one value), `reader`
(file → tables, templates), `importer` + `sheets/` (one applier per sheet), `bulk` (a
sheet's inserts and updates), `services` (runs: upload, preview, commit), `tasks`,
`views`/`urls` (pages), `api`.
"""
