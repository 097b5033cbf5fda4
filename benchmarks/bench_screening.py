"""Screening speed: one full intake against all eleven treatments, and loading the
knowledge base with and without its cache.

Run with ``uv run python benchmarks/bench_screening.py [--runs N]``. Prints the median
and 95th percentile time per intake, for screening a parsed intake and for parsing and
screening the JSON form (what ``consult screen`` and the wizard do); target: a median of
1 ms or less per intake. Then the knowledge base load: from the source files (YAML, JSON
Schema, meaning) and from the cache (meaning only); target: 30 ms or less from the cache.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from consult.domain.intake import parse_intake
from consult.domain.screening import screen
from consult.knowledge.loader import load_knowledge

INTAKE: dict[str, Any] = {
    "patient": {"date_of_birth": "1984-02-29", "sex_at_birth": "female"},
    "consultation_date": "2026-11-21",
    "jurisdiction": "GB",
    "practitioner": {"qualification": "doctor"},
    "clinic": {"regenerative_medicine_plan": None},
    "treatments": [
        {"id": "exosome", "route": "microneedling", "product_source": "plant"},
        {"id": "stem_cell_supernatant", "route": "intravenous"},
        {"id": "stem_cell_cellular", "product_source": "autologous"},
        {"id": "prp", "route": "microneedling"},
        {"id": "botulinum_toxin", "lot_expiry": "2027-03-31"},
        {"id": "ha_filler", "lot_expiry": "2027-06-30"},
        {"id": "hyaluronidase"},
        {"id": "microneedling"},
        {"id": "chemical_peel", "route": "medium"},
        {"id": "laser_resurfacing", "route": "ablative"},
        {"id": "iv_vitamin_c"},
    ],
    "answers": {
        "pregnant": "no",
        "breastfeeding": "no",
        "trying_to_conceive": "yes",
        "cancer_history": "yes",
        "cancer_types": ["breast"],
        "cancer_status": "remission",
        "cancer_last_treatment_date": "2021-03-01",
        "autoimmune_disease": "yes",
        "autoimmune_types": ["thyroid"],
        "autoimmune_status": "controlled",
        "immunosuppressed": "no",
        "neuromuscular_disorder": "no",
        "bleeding_disorder": "no",
        "platelet_disorder": "no",
        "current_illness_or_fever": "no",
        "kidney_disease": "no",
        "heart_disease": "no",
        "liver_disease": "no",
        "g6pd_deficiency": "no",
        "g6pd_test_normal": "yes",
        "haemochromatosis": "no",
        "diabetes": "no",
        "recent_dental_or_vaccine": "no",
        "anticoagulants": ["aspirin", "nsaid"],
        "bleeding_supplements": ["fish_oil"],
        "systemic_steroids_recent": "no",
        "aminoglycosides_current": "no",
        "photosensitising_medication": "no",
        "isotretinoin_last_date": "2026-07-01",
        "topical_retinoid_last_date": "2026-11-10",
        "allergies": ["lidocaine", "other"],
        "allergies_other": "propolis",
        "anaphylaxis_history": "no",
        "active_skin_infection": "no",
        "inflammatory_skin_flare": "no",
        "cold_sore_history": "yes",
        "keloid_history": "no",
        "recent_sunburn": "no",
        "fitzpatrick_type": "IV",
        "last_resurfacing_date": "2026-06-01",
        "permanent_filler_in_area": "no",
        "smoker": "yes",
        "body_image_concern": "no",
    },
}


def _measure(action: Any, runs: int) -> tuple[float, float]:
    for _ in range(min(200, runs)):  # warm up
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5000)
    args = parser.parse_args()
    kb = load_knowledge()
    parsed = parse_intake(INTAKE, kb)
    result = screen(parsed, kb)
    findings = sum(len(r.findings) for r in result.results)
    print(
        f"{len(kb.rules)} rules; 1 intake, {len(parsed.treatments)} treatments, {findings} findings"
    )
    median, p95 = _measure(lambda: screen(parsed, kb), args.runs)
    print(f"screen (parsed intake):       median {median:.3f} ms, p95 {p95:.3f} ms per intake")
    median, p95 = _measure(lambda: screen(parse_intake(INTAKE, kb), kb), args.runs)
    print(f"parse_intake + screen (JSON): median {median:.3f} ms, p95 {p95:.3f} ms per intake")
    loads = max(5, args.runs // 500)
    cold = [_once(lambda: load_knowledge()) for _ in range(loads)]
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        load_knowledge(cache_dir=cache)
        warm = [_once(lambda: load_knowledge(cache_dir=cache)) for _ in range(loads)]
    print(f"load_knowledge from the files: median {statistics.median(cold):.1f} ms ({loads} runs)")
    print(f"load_knowledge from the cache: median {statistics.median(warm):.1f} ms ({loads} runs)")


def _once(action: Any) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    main()
