"""The reception desk: find and print signed forms."""
