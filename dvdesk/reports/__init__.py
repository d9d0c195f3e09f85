"""PDF documents with reportlab: checklists, lists, transfer letters, statistics."""
