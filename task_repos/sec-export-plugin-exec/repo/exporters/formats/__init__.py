"""Output formats for report exports; one public module per format."""
