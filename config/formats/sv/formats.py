# The compact date of promise cards: "1 jan. 2024" (month abbreviations from locale_vendor).
COMPACT_DATE_FORMAT = "j N Y"
