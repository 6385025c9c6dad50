"""Evidence preservation: content-addressed blobs, capture records (WARC and custody later)."""
