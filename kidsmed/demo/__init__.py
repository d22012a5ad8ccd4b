"""`kidsmed demo`: fictional case books for trying kidsmed out and for measuring it.

Kept apart from `kidsmed.domain`, which holds the rules and the case work only: the
generator uses the domain's rules (clocks, gates, the calendar) to tell plausible stories,
and nothing in the domain depends on it.
"""
