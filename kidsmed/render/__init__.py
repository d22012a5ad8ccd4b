"""Everything kidsmed shows: `core` (lines, tables, JSON and CSV), then one module per area.

Nothing is imported here, so that a command loads only the screens it shows.
"""
