"""Shared pieces every room uses: tables, background tasks, PDF pages, fields, tones."""
