"""The photos room: a patient's photo timeline, importing photos, comparing two dates of
one area, and the manager's photos past retention (issue 20)."""
