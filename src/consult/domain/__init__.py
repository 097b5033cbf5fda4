"""consult.domain."""
