"""Re-check the logistic centres of headshot/configs/measures.yaml against real portraits.

For a sample of the shared training portraits (never the real-photo dev set) and their
synthetic degradations (blur, noise, JPEG, side light, darkening, shift), print the
distribution of the key raw measures and plot them with the configured centre, so a centre
that no longer separates good from degraded shows at a glance.

Run from the repository root:  python bench/calibrate_measures.py [--per-folder 15]
Writes bench/results/calibration.png and bench/results/calibration.json.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PORTRAITS = REPO.parent / "shared" / "data" / "portraits"
FOLDERS = {"frl_webmorph": "london_neutral_*.jpg", "us_congress_118": "*.jpg", "taiwan_officials": "*.jpg"}
OUT = REPO / "bench" / "results"

# (attribute, raw measure) -> the variants that should move it past the centre
CHECKS = {
    ("sharpness", "log_laplacian_var"): ("blurred",),
    ("sharpness", "hf_energy_ratio"): ("blurred",),
    ("sharpness", "noise_sigma"): ("noisy",),
    ("sharpness", "blockiness"): ("jpeg",),
    ("lighting", "half_luminance_ratio"): ("side_lit",),
    ("lighting", "face_luma_low"): ("dark",),
    ("framing", "center_offset"): ("shifted",),
    ("framing", "abs_pitch"): (),
}


def variants(rgb: np.ndarray, nose_x: float) -> dict[str, np.ndarray]:
    from headshot import samples

    left_brighter = rgb[:, :int(nose_x)].mean() > rgb[:, int(nose_x):].mean()
    sigma = max(2.0, rgb.shape[0] / 160)  # about the same blur relative to the face at any size
    return {
        "original": rgb,
        "blurred": samples.blurred(rgb, sigma),
        "noisy": samples.noisy(rgb, 25.0),
        "jpeg": samples.jpeg_blocked(rgb, 5),
        "side_lit": samples.side_lit(rgb, 0.85, center_x=nose_x, dark_side="left" if left_brighter else "right"),
        "dark": samples.darkened(rgb, 0.3),
        "shifted": samples.shifted(rgb, 0.3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-folder", type=int, default=15)
    args = ap.parse_args()
    from tqdm import tqdm

    from headshot.analysis import NOSE_TIP, default_analyzer
    from headshot.errors import HeadshotError
    from headshot.imageio import load_image
    from headshot.measures import load_terms, measure_all

    files = []
    for folder, pattern in FOLDERS.items():
        found = sorted((PORTRAITS / folder).glob(pattern))
        step = max(1, len(found) // args.per_folder)
        files += found[::step][:args.per_folder]
    an = default_analyzer()
    values: dict[str, dict[str, list[float]]] = {f"{a}.{k}": {} for a, k in CHECKS}
    for f in tqdm(files, desc="portraits", unit="img", file=sys.stderr):
        try:
            rgb = load_image(f)
            base = an.analyze(rgb)
        except HeadshotError:
            continue
        if base.landmarks is None:
            continue
        for name, img in variants(base.image, float(base.landmarks[NOSE_TIP, 0])).items():
            try:
                ms = measure_all(an.analyze(img))
            except HeadshotError:
                continue
            for attr, key in CHECKS:
                v = ms[attr].raw.get(key)
                if v is not None and np.isfinite(v):
                    values[f"{attr}.{key}"].setdefault(name, []).append(float(v))
    terms = load_terms()
    summary = {}
    print(f"{'measure':36s} {'centre':>8s}  variant: p10 / median / p90 (share on the pass side)")
    for (attr, key), bad in CHECKS.items():
        t = terms[attr][key]
        rows = {}
        for name, v in values[f"{attr}.{key}"].items():
            v = np.array(v)
            passing = float(np.mean(v >= t.center) if t.higher_is_better else np.mean(v <= t.center))
            rows[name] = {"n": len(v), "p10": float(np.percentile(v, 10)), "median": float(np.median(v)),
                          "p90": float(np.percentile(v, 90)), "pass_share": passing}
        summary[f"{attr}.{key}"] = {"center": t.center, "higher_is_better": t.higher_is_better,
                                    "degraded_by": list(bad), "variants": rows}
        print(f"{attr + '.' + key:36s} {t.center:8.3g}")
        for name, r in rows.items():
            flag = "  <- should fail" if name in bad else ""
            print(f"    {name:10s} {r['p10']:8.3g} / {r['median']:8.3g} / {r['p90']:8.3g}  ({r['pass_share']:.0%}){flag}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "calibration.json").write_text(json.dumps({"files": len(files), "measures": summary}, indent=2) + "\n")
    plot(summary, values)


def plot(summary: dict, values: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(summary)
    fig, axes = plt.subplots(2, (n + 1) // 2, figsize=(4.2 * ((n + 1) // 2), 7.5))
    for ax, (name, s) in zip(axes.ravel(), summary.items()):
        data = values[name]
        for variant, v in data.items():
            style = dict(alpha=0.9, lw=2) if variant == "original" or variant in s["degraded_by"] else dict(alpha=0.25, lw=1)
            ax.hist(v, bins=20, histtype="step", label=variant, **style)
        ax.axvline(s["center"], color="k", ls="--", label="centre")
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=7)
    axes.ravel()[0].legend(fontsize=7)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    fig.suptitle("raw measures on shared training portraits and synthetic degradations (dashed: logistic centre)",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(OUT / "calibration.png", dpi=80)
    print(f"wrote {OUT / 'calibration.png'}")


if __name__ == "__main__":
    main()
