"""consult.knowledge."""
