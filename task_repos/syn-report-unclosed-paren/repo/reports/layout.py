"""Column layout helpers for plain-text tables."""


def column_widths(rows: list[list[str]]) -> list[int]:
    """Width of every column: the length of its longest cell."""
    if not rows:
        return []
    count = max(len(row) for row in rows)
    widths = [0] * count
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    return widths


def format_row(row: list[str], widths: list[int]) -> str:
    """Left-align every cell to its column width; missing cells are left blank."""
    cells = [row[i] if i < len(row) else "" for i in range(len(widths))]
    return " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
