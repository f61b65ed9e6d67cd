"""report.html: one self-contained page (inline CSS and SVG, no external assets)."""

from __future__ import annotations

from html import escape
from typing import Any

from environment.evaluation.summary import GROUPINGS, GroupStats

BAR_H, GAP, LABEL_W, CHART_W = 18, 6, 150, 320
COLOURS = {"solve_rate": "#2e7d32", "mean_reward": "#1565c0"}


def bar_chart(rows: list[GroupStats], metric: str, title: str) -> str:
    """A horizontal bar chart of `metric` (0..1) per row, as inline SVG."""
    height = len(rows) * (BAR_H + GAP) + 30
    width = LABEL_W + CHART_W + 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}">', f'<text x="0" y="14" font-size="13" font-weight="bold">'
             f'{escape(title)}</text>']
    for i, row in enumerate(rows):
        value = max(0.0, min(1.0, float(getattr(row, metric))))
        y = 24 + i * (BAR_H + GAP)
        parts += [f'<text x="{LABEL_W - 6}" y="{y + 13}" font-size="12" text-anchor="end">{escape(row.name)}</text>',
                  f'<rect x="{LABEL_W}" y="{y}" width="{CHART_W}" height="{BAR_H}" fill="#eee"/>',
                  f'<rect x="{LABEL_W}" y="{y}" width="{value * CHART_W:.1f}" height="{BAR_H}" '
                  f'fill="{COLOURS[metric]}"><title>{escape(row.name)}: {value:.3f}</title></rect>',
                  f'<text x="{LABEL_W + CHART_W + 6}" y="{y + 13}" font-size="12">{value:.2f}</text>']
    parts.append("</svg>")
    return "".join(parts)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return escape(str(value))


def table(title: str, rows: list[GroupStats]) -> str:
    if not rows:
        return ""
    dicts = [r.as_dict() for r in rows]
    head = "".join(f"<th>{escape(k)}</th>" for k in dicts[0])
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in d.values()) + "</tr>" for d in dicts)
    return f"<h2>{escape(title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(summary: dict[str, list[GroupStats]], metadata: dict[str, Any], records: list[dict[str, Any]]) -> str:
    meta_rows = "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
                        for k, v in sorted(metadata.items()) if not isinstance(v, dict | list))
    agent = metadata.get("agent", {})
    agent_label = agent.get("model") or agent.get("agent", "?") if isinstance(agent, dict) else str(agent)
    categories = summary.get("category", [])
    charts = (bar_chart(categories, "solve_rate", "Solve rate by category")
              + bar_chart(categories, "mean_reward", "Mean reward by category")) if categories else ""
    episodes = "".join(
        f"<tr><td>{escape(r['task_id'])}</td><td>{r['seed']}</td><td>{escape(r.get('status', ''))}</td>"
        f"<td>{r['reward']:.3f}</td><td>{'yes' if r['solved'] else 'no'}</td>"
        f"<td>{escape(' → '.join(a.get('action_type', '?') for a in r.get('actions', [])))}</td>"
        f"<td>{escape((r.get('error') or {}).get('code', ''))}</td></tr>"
        for r in sorted(records, key=lambda r: (r["task_id"], r["seed"])))
    tables = "".join(table(f"By {g}", summary.get(g, [])) for g in GROUPINGS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AutoCodeRL evaluation: {escape(agent_label)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
table {{ border-collapse: collapse; margin-bottom: 1.5rem; font-size: 13px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 8px; text-align: right; }}
th {{ background: #f4f4f4; }} td:first-child, th:first-child {{ text-align: left; }}
svg {{ display: block; margin: 1rem 0; }}
</style></head><body>
<h1>AutoCodeRL evaluation: {escape(agent_label)}</h1>
{table("Overall", summary.get("all", []))}
{charts}
{tables}
<h2>Run</h2><table>{meta_rows}</table>
<h2>Episodes</h2><table><thead><tr><th>task</th><th>seed</th><th>status</th><th>reward</th><th>solved</th>
<th>actions</th><th>error</th></tr></thead><tbody>{episodes}</tbody></table>
</body></html>
"""
