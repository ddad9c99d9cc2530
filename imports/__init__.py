"""Spreadsheet import: XLSX/CSV files applied through the register's services.

Every row goes through the same services as the forms and the API (operator_create,
miniprogram_create, …), inside a transaction: the preview rolls it back, the commit keeps it
only if no row failed. Matching makes a second import of the same file a no-op: operators
by USCC (individuals by name), mini-programs by platform + AppID, domains by name, persons
by the keyed hash of their ID number.

Headers are fixed bilingual identifiers (the column key, its English or its Chinese
heading), recognised whatever the interface language, so a file filled in by a client in
Chinese imports the same as one filled in in English.

Modules: `columns` (sheets and headings), `cells` (one cell → one value), `reader`
(file → tables, templates), `importer` + `sheets/` (one applier per sheet), `services`
(runs: upload, preview, commit), `tasks`, `views`/`urls` (pages), `api`.
"""
