# The compact date of promise cards: "1 Jan 2024".
COMPACT_DATE_FORMAT = "j M Y"
