"""consult.store."""
