"""The consultation: the day list, the wizard and its steps, a finished record."""
