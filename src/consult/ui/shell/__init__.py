"""The window around the work: start-up, sign-in, the tab table by role, the idle lock."""
