"""The events' pages, by who uses them: public.py (visitors and guests), staff.py (the
coordinator), checkin.py (at the door)."""
