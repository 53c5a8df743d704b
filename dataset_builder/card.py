"""The dataset card (README.md with YAML ``configs``) so ``load_dataset(folder)`` and, once
pushed, ``load_dataset("org/name")`` find the Parquet shards and their splits."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from headshot.attributes import ATTRIBUTE_NAMES

LICENCES = {
    "ffhq256_subset": "FFHQ images (Flickr: CC BY 2.0, CC BY-NC 2.0, PDM, CC0, US Gov works); NVIDIA metadata CC BY-NC-SA 4.0. Non-commercial research.",
    "frl_webmorph": "Face Research Lab London / Canada sets, CC BY 4.0 (DeBruine & Jones 2017).",
    "us_congress_118": "Official US Congress portraits: US government works, public domain (provenance inferred).",
    "us_congress_voteview": "Congressional Bioguide / Wikipedia official portraits, public domain; credit voteview.com.",
    "taiwan_officials": "Taiwan public-official photos, Open Government Data Licence (not verified per image).",
    "nigeria_officials": "ShineYourEye / EveryPolitician images, rights unclear: research use only.",
    "selfie_casual": "Selfie dataset (Kalayeh et al., ACM MM 2015): research purposes only.",
}


def write_card(out: Path, cfg: Any, report: dict[str, Any]) -> Path:
    splits = sorted({p.name.split("-")[0] for p in (out / "data").glob("*.parquet")},
                    key=lambda s: ["train", "validation", "test"].index(s) if s in ("train", "validation", "test") else 9)
    yaml = ["---", "license: other", "task_categories:", "- image-classification", "tags:", "- headshot", "- synthetic",
            "configs:", "- config_name: default", "  data_files:"]
    for s in splits:
        yaml += [f"  - split: {s}", f"    path: data/{s}-*.parquet"]
    yaml += ["dataset_info:", "  features:", "  - name: image", "    dtype: image", "  - name: portrait_id", "    dtype: string",
             "  - name: source", "    dtype: string"]
    for a in ATTRIBUTE_NAMES:
        yaml += [f"  - name: {a}", "    dtype: int64"]
    for c in ("plan", "prompt", "backend", "measures", "validation"):
        yaml += [f"  - name: {c}", "    dtype: string"]
    yaml.append("---")
    rates = report.get("label_rate_per_source", {})
    agree = report.get("agreement_per_attribute", {})
    body = [
        "# Synthetic headshot attributes",
        "",
        "Synthetic variants of real base portraits, each labelled with six binary attributes "
        "(1 = professional): " + ", ".join(f"`{a}`" for a in ATTRIBUTE_NAMES) + ". The labels are the "
        "attributes that were injected (see the project's ATTRIBUTES.md), never guesses.",
        "",
        "## How it was made",
        f"- Backend: `{cfg.backend}`; {cfg.variants} variants per base portrait; seed {cfg.seed}.",
        "- g draws a target vector per variant (each attribute 0 with probability ~0.4 where both states are reachable, "
        "expression ~0.25, "
        "at most 3 issues, ~12% fully professional) and maps it to an edit plan (prompt + operations, column `plan`).",
        "- Every variant is composited onto a new backdrop (clean or distracting), so matte artefacts carry no label. "
        "Backdrops are drawn (walls, gradients, shelves, streets, posters, patterns, other faces) or real photographs "
        "shipped in scikit-image / scikit-learn (`photo`: lightly blurred, objects recognisable, label 0; "
        "`photo_defocus`: blurred past recognition, label 1).",
        "- Expression is measured on the base portrait; a base measured 1 can also be given expression 0 by an "
        "occluder (`sunglasses`, `face_mask`: eyes not visible / face covered are 0 by the contract).",
        "- About 6% of variants are rendered black and white (`camera/monochrome`, label-neutral; never over a "
        "colour cast or a two-colour pattern).",
        "- Attributes a backend cannot change keep the base portrait's own label: attire from the source's labels.csv, "
        "expression/lighting/sharpness/framing measured on the base with a confident margin (>= 0.8 -> 1, <= 0.2 -> 0); "
        "undetermined portraits are not used for that fixed value.",
        "- Images are JPEG q92, long side <= 512 px. Splits are by base portrait (no portrait in two splits).",
        "- `measures` holds the scorer's raw measures on the stored variant; `validation` the independent checks.",
        *(["- Unedited originals (`backend` = `original`, no operations) are stored too where all six of a portrait's "
           "labels are known (background measured with the same margins): the only rows with real backgrounds."]
          if getattr(cfg, "originals", False) else []),
        "",
        "## Loading",
        "",
        "`load_dataset(\"path/to/this/folder\")`, or `load_dataset(\"org/name\")` once pushed. datasets caches a "
        "local folder by its name only: after rebuilding in the same folder, load with "
        "`download_mode=\"force_redownload\"` or `dataset_builder.loading.load_built(folder)`.",
        "",
        "## Check agreement (scorer measures vs labels)",
        "",
        "| attribute | agreement | label 0 | label 1 |",
        "|---|---|---|---|",
        *[f"| {a} | {p['agreement']:.3f} | {p['agreement_label0']:.3f} | {p['agreement_label1']:.3f} |" for a, p in agree.items()],
        "",
        "## Label statistics (share of 1) per source",
        "",
        "| source | variants | " + " | ".join(ATTRIBUTE_NAMES) + " |",
        "|---|---|" + "---|" * len(ATTRIBUTE_NAMES),
        *[f"| {s} | {d['n']} | " + " | ".join(f"{d[a]:.2f}" for a in ATTRIBUTE_NAMES) + " |" for s, d in rates.items()],
        "",
        "## Licences of the base portraits (per source)",
        "",
        *[f"- `{s}`: {LICENCES.get(s, 'see the source notes')}" for s in rates],
        "",
        "The whole dataset inherits the most restrictive terms above: research, non-commercial use.",
        "",
        f"Validation report: `reports/validation.md`; summary numbers: {json.dumps({'variants': report.get('variants'), 'faces_lost': report.get('faces_lost')})}",
    ]
    p = out / "README.md"
    p.write_text("\n".join(yaml + [""] + body) + "\n")
    return p
