"""Application functions below the UI: what the command line and the window both do.

- `member_list`: the member list rows (`dvdesk list --json/--csv`, printed
  lists, exports), streamed.
- `views`: the preset views, their counts and members (one definition).
- `printing`: documents written to PDF, including "issue a transfer letter"
  (print and record the handover once).

Layering (tests/test_layers.py): domain ← store ← (exchange, reports) ←
services ← (cli, ui). Nothing here imports Qt.
"""
