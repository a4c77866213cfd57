"""The run's figures beside their floors and the targets of issue 8, as a Markdown table."""

from __future__ import annotations

from .ladder import RUNGS

# The targets, from issue 8.
PAGE_COST = 2.5  # a patient page's cost per request, as a multiple of Flask's hello world
JOURNEYS_PER_SECOND, JOURNEY_P95_MS = 40, 50
PDF_COST = 1.3  # our render's time, as a multiple of WeasyPrint's alone
CHROMIUM_COST = 2  # our render's time by the clock, as a multiple of Chromium's for the same document (issue 19)
DOWNLOAD_SPEED_UP = 20  # a fresh render's time, as a multiple of a stored PDF's download
LIST_GROWTH = 1.5  # the list's p95 with 10⁶ answer sets, as a multiple of its p95 with 10³
MEMORY_GROWTH_MB = 10  # over 500 PDF renders


def table(r: dict) -> str:
    """One row a figure; parts of the run that were left out are left out here."""
    rows = []
    if "floor" in r:
        rows.append(("Flask floor: hello world", _load(r["floor"]), "1×", ""))
    for key, name in [("patient_get", "Patient pages, GET (10 journey pages in turn)"),
                      ("patient_save", "Patient page save, POST (About you)")]:
        if key in r and "floor" in r:
            ratio = _per_second(r["floor"]) / _per_second(r[key])
            rows.append((name, _load(r[key]), f"{ratio:.1f}× the floor's cost per request",
                         _verdict(ratio <= PAGE_COST, f"≤ {PAGE_COST}×")))
    if "ladder" in r and "floor" in r:
        rows += _ladder_rows(r["floor"], r["ladder"])
    for key, name in [("journeys", "answers sent (a summary PDF made each)"),
                      ("journeys_unsent", "up to check answers, not sent (no PDF)")]:
        if key in r:
            j = r[key]
            met = j["per_second"] >= JOURNEYS_PER_SECOND and j["p95_ms"] < JOURNEY_P95_MS
            rows.append((f"Whole journeys, {name}: {j['patients']} patients at once, "
                         f"{round(j['requests'] / j['journeys'])} requests each",
                         f"{j['per_second']:.1f} journeys/s; pages p50 {j['p50_ms']:.1f} ms, p95 {j['p95_ms']:.1f} ms",
                         _pdf_bound(r) if key == "journeys" else "",
                         _verdict(met, f"≥ {JOURNEYS_PER_SECOND}/s with p95 < {JOURNEY_P95_MS} ms")
                         if key == "journeys" else "(for comparison)"))
    for slug, x in r.get("pdf_render", {}).items():
        ratio = x["ours_ms"] / x["weasyprint_alone_ms"]
        rows.append((f"Summary PDF render: {slug} ({x['pdf_kb']:.0f} KB)",
                     f"{x['ours_ms']:.0f} ms; WeasyPrint alone {x['weasyprint_alone_ms']:.0f} ms",
                     f"{ratio:.2f}× WeasyPrint alone", _verdict(ratio <= PDF_COST, f"≤ {PDF_COST}×")))
        if "chromium_clock_ms" in x:
            versus = x["ours_clock_ms"] / x["chromium_clock_ms"]
            rows.append((f"Beside Chromium: {slug} (its PDF {x['chromium_pdf_kb']:.0f} KB)",
                         f"ours {x['ours_clock_ms']:.0f} ms by the clock; Chromium {x['chromium_clock_ms']:.0f} ms",
                         f"{versus:.2f}× Chromium", _verdict(versus <= CHROMIUM_COST, f"≤ {CHROMIUM_COST}×")))
    if "pdf_download" in r:
        d = r["pdf_download"]
        if "pdf_render" in r:  # the download is set beside the render, when the run measured both
            fastest, slowest = (f(x["ours_ms"] for x in _standard(r)) / d["p50_ms"] for f in (min, max))
            rows.append(("Stored summary PDF download", _load(d),
                         f"{fastest:.0f}× to {slowest:.0f}× faster than a fresh render",
                         _verdict(fastest >= DOWNLOAD_SPEED_UP, f"≥ {DOWNLOAD_SPEED_UP}×")))
        else:
            rows.append(("Stored summary PDF download", _load(d), "", ""))
    if "clinician_list" in r:
        rows += _list_rows(r["clinician_list"])
    if "memory" in r:
        m = r["memory"]
        rows.append((f"Worker memory over {m['renders']} PDF renders ({len(m['before_mb'])} workers together)",
                     f"{sum(m['before_mb']):.0f} MB → {sum(m['after_mb']):.0f} MB", f"{m['growth_mb']:+.1f} MB",
                     _verdict(m["growth_mb"] < MEMORY_GROWTH_MB, f"< {MEMORY_GROWTH_MB} MB")))
    lines = ["| measure | figure | ratio | target |", "| --- | --- | --- | --- |"]
    return "\n".join(lines + [f"| {' | '.join(row)} |" for row in rows])


def _standard(r: dict) -> list[dict]:
    """The render figures of the summary that sending makes, not the large print."""
    return [x for x in r["pdf_render"].values() if x.get("document", "standard") == "standard"]


def _pdf_bound(r: dict) -> str:
    """How many journeys a second the machine's cores could end with a PDF if rendering were all they did."""
    if "pdf_render" not in r:
        return ""
    renders = [x["ours_ms"] for x in _standard(r)]  # journeys take the procedures in turn
    cores = r["machine"]["cpus"]
    return f"the PDFs alone allow at most {cores * 1000 / (sum(renders) / len(renders)):.1f}/s on {cores} cores"


def _ladder_rows(floor: dict, ladder: dict) -> list[tuple[str, ...]]:
    """Each rung of bench/ladder.py, then the About you page itself, as multiples of the floor's cost."""
    rows = []
    for path, name in [*RUNGS.items(), ("/about-you", "About you itself (ours)")]:
        ratio = _per_second(floor) / _per_second(ladder[path])
        rows.append((f"Stack floor: hello world {name}" if path in RUNGS else name, _load(ladder[path]),
                     f"{ratio:.1f}× the floor's cost per request", ""))
    return rows


def _list_rows(sizes: dict) -> list[tuple[str, ...]]:
    """A row for the smallest list and one for the largest, with the worst way of reading it's ratio.

    The target is on growth with the database's size, so it is judged on the
    ways that print as many rows at both sizes: a page of 8 costs less than
    one of 25 whatever the database holds. The others are listed beside it.
    """
    smallest, largest = sorted(sizes, key=int)[0], sorted(sizes, key=int)[-1]
    small, large = sizes[smallest]["variants"], sizes[largest]["variants"]
    ratios = {name: large[name]["p95_ms"] / small[name]["p95_ms"] for name in small}
    fewer = [name for name in small if small[name].get("rows", 0) < large[name].get("rows", 0)]
    judged = {name: ratio for name, ratio in ratios.items() if name not in fewer}
    worst = max(judged, key=judged.get)
    rows = []
    for size in (smallest, largest):
        variants = sizes[size]["variants"]
        p50s, p95s = [x["p50_ms"] for x in variants.values()], [x["p95_ms"] for x in variants.values()]
        rows.append((f"Clinician list, {int(size):,} answer sets (PostgreSQL), {len(variants)} ways of reading it",
                     f"p50 {min(p50s):.1f} to {max(p50s):.1f} ms; p95 {min(p95s):.1f} to {max(p95s):.1f} ms", "", ""))
    rows[-1] = rows[-1][:2] + (
        f"p95 {min(judged.values()):.2f}× to {judged[worst]:.2f}× the smaller list's, the {len(judged)} ways "
        f"printing as many rows at both sizes (highest: {worst})",
        _verdict(judged[worst] <= LIST_GROWTH, f"≤ {LIST_GROWTH}× for each of those"))
    if fewer:
        rows.append(("Clinician list: ways printing fewer rows at the smaller size", "; ".join(
            f"{name}: {small[name]['rows']} rows against {large[name]['rows']}, {ratios[name]:.2f}×"
            for name in fewer), "", ""))
    return rows


def _load(figures: dict) -> str:
    return f"{_per_second(figures):,.0f} req/s; p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms"


def _per_second(figures: dict) -> float:
    return figures["requests"] / figures["seconds"]


def _verdict(met: bool, target: str) -> str:
    return f"{target}: {'met' if met else '**missed**'}"
