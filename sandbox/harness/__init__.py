"""In-sandbox harness: stdlib-only scripts copied into the sandbox (never imported by the server)."""
