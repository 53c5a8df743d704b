"""Issue-F1: F1, precision and recall of detecting an attribute's issue.

Labels follow the contract (1 = professional, 0 = issue); the issue (label 0) is the positive
class by default (``pos_label``). A local module because ``evaluate.load("f1")`` fetches its script
from the Hub. Undefined ratios are 0, as scikit-learn's ``zero_division=0``.
"""
import datasets
import evaluate
import numpy as np

_DESCRIPTION = "F1/precision/recall of detecting the issue (label 0 by default) of one binary headshot attribute."
_KWARGS = """
Args:
    predictions: predicted labels (1 = professional, 0 = issue).
    references: true labels.
    pos_label: the class that counts as positive; 0 (the issue) by default.
Returns:
    f1, precision, recall, support (number of positive references).
"""
_CITATION = ""


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _KWARGS)
class IssueF1(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_KWARGS,
            features=datasets.Features({"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}),
        )

    def _compute(self, predictions, references, pos_label=0):
        p = np.asarray(predictions) == pos_label
        t = np.asarray(references) == pos_label
        tp = float(np.sum(p & t))
        fp = float(np.sum(p & ~t))
        fn = float(np.sum(~p & t))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
        return {"f1": f1, "precision": precision, "recall": recall, "support": int(t.sum())}
