"""The page benchmark's results as Markdown tables (one scale; growth between two)."""

from __future__ import annotations

from typing import Any


def _f(value: Any, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def table(result: dict) -> str:
    lines = [
        f"### Scale {result['scale']} ({result['operators']:,} operators)",
        "",
        "| Page / call | Status | Queries | Median ms | Runs | Peak MB | Reference | Ref queries "
        "| Ref ms | Ref MB | × ref (time) |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in result["rows"]:
        if r["status"] != 200:
            lines.append(
                f"| {r['page']} | **{r['status']}** (not timed) | | | | "
                f"| {r['reference']} | | | | |"
            )
            continue
        ratio = r["ms"] / r["ref_ms"] if r.get("ref_ms") else None
        ref_status = "" if r["ref_status"] == 200 else f" (**{r['ref_status']}**)"
        lines.append(
            f"| {r['page']} | 200 | {r['queries']} | {r['ms']:.0f} | {r['runs']} "
            f"| {_f(r['mb'], '.1f')} "
            f"| {r['reference']}{ref_status} | {_f(r.get('ref_queries'), 'd')} "
            f"| {_f(r.get('ref_ms'), '.0f')} | {_f(r.get('ref_mb'), '.1f')} | {_f(ratio, '.1f')} |"
        )
    return "\n".join(lines)


def growth(small: dict, large: dict) -> str:
    pct = f"{round(large['scale'] * 100)} % / {round(small['scale'] * 100)} %"
    lines = [
        f"### Growth {pct}",
        "",
        "| Page / call | ms small | ms large | × time | queries small → large | × ref time |",
        "| --- | ---: | ---: | ---: | --- | ---: |",
    ]
    for a, b in zip(small["rows"], large["rows"], strict=True):
        if a.get("ms") is None or b.get("ms") is None:
            lines.append(f"| {b['page']} | — | — | — | status {a['status']} → {b['status']} | — |")
            continue
        ref = b["ref_ms"] / a["ref_ms"] if a.get("ref_ms") and b.get("ref_ms") else None
        lines.append(
            f"| {b['page']} | {a['ms']:.0f} | {b['ms']:.0f} | {b['ms'] / a['ms']:.1f} "
            f"| {a['queries']} → {b['queries']} | {_f(ref, '.1f')} |"
        )
    return "\n".join(lines)
