#!/usr/bin/env bash
# Printed at the end of `make run`: where the data is and how to look at it.
cat <<HINT

Marsad ingested the demo corpus into ${MARSAD_HOME:-./marsad-data}.
The web workbench starts now (Ctrl-C stops it); its URL and, on the first start, the
admin's generated password are printed below. The command line works too:
  .venv/bin/marsad status                              counts per stage, failures
  .venv/bin/marsad export documents                    one JSON object per document
  .venv/bin/marsad export documents --format csv -o documents.csv
  .venv/bin/marsad ingest PATH_OR_URL... [--lang xx]   add your own files or pages
  .venv/bin/marsad --help                              every command
HINT
