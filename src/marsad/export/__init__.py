"""Exports: tabular records (JSONL/CSV) now; STIX, FtM, hash lists and WACZ later."""
