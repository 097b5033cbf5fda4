"""consult.ui."""
