"""Finding, registering and reading a patient."""
