"""Patient mode (issue 19, docs/patient-mode.md): the patient answers the health
questions on their own screen, in their language, one section at a time, while the desk
stays locked until the practitioner takes the consultation back with their password.

- :mod:`words`: what the patient reads, in their language (untranslated text marked).
- :mod:`answer_buttons`: one question's answers as large toggle buttons.
- :mod:`section_page`: one section of the questionnaire.
- :mod:`intake_view`: the questionnaire, section by section, to "I have finished".
- :mod:`still_there`: "Are you still there?" after a while without input.
- :mod:`patient_window`: the full-screen window no key or click leaves.
- :mod:`unlock_box`: the practitioner's password, to take the consultation back.
- :mod:`desk_panel`: what the desk shows meanwhile (progress, never the answers).
- :mod:`screens`: which screen the patient gets.
- :mod:`review`: back at the desk, what differs from last time and what the practitioner
  changed.
- :mod:`handover`: hands the intake to the patient and takes it back.
"""
