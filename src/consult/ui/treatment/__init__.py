"""The treatment room: after consent, what was actually done for each treatment.

:class:`~consult.ui.treatment.dialog.TreatmentDialog` shows one
:class:`~consult.ui.treatment.chart_panel.ChartPanel` per consented treatment: the lot
used, the areas, notes and, for an injection, the face chart
(:mod:`consult.ui.treatment.face_view`, its points listed and edited in
:mod:`consult.ui.treatment.points_table`). Sign-off, addenda and the aftercare sheet are
:mod:`consult.store.services.treatment_records`'.
"""
