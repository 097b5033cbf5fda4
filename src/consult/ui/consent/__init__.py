"""Informed consent: the dialog and step, the text the patient reads, the signature pad."""
