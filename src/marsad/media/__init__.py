"""Media among the captures — images and PDFs: what they are, their text, their hashes."""
