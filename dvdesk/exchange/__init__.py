"""Files in and out: commune packages, merges, spreadsheets (trao đổi dữ liệu)."""
