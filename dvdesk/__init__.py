"""dvdesk: Youth Union members and Party development records for a commune."""

__version__ = "0.1.0"
