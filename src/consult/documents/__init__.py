"""consult.documents."""
