"""The desktop interface, in rooms: shell (the window, sign-in, tabs), widgets (shared
pieces), patients, consultation, consent, desk (reception) and manager."""
