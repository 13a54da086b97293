"""Signed holder PDFs (PAdES B-B): the signing identity, the signature, checking a file."""
