"""The transparent model against a plain logistic regression on the same features and rows, on many histories.

    python benchmarks/transparency.py                         # 4 seeds x 2 sizes of sample history
    python benchmarks/transparency.py --seeds 5 7 --students 800

Issue #13's target: riskscreen's transparent model (its shape chosen by validation) has a test ROC AUC at least that
of a plain scikit-learn logistic regression (median imputation, standardisation, default C) fitted on the same
training rows, within the transparent model's 95% interval. Prints one row per history: the shape chosen, the two
AUCs, the interval, and whether the target holds; and the additive shape's AUC on the same rows for comparison.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[5, 7, 11, 13])
    parser.add_argument("--students", type=int, nargs="+", default=[800, 3000])
    args = parser.parse_args()

    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from riskscreen.demo import files as demo_files
    from riskscreen.demo import sample
    from riskscreen.ingest.pipeline import load_exports
    from riskscreen.scoring.model import predict
    from riskscreen.training.dataset import split, training_set
    from riskscreen.training.shapes import fit_shape
    from riskscreen.training.train import train

    print(f"{'students':>8} {'seed':>4} {'shape':>8} {'model AUC (95%)':>22} {'plain LR':>8} {'additive':>8}  target")
    held = 0
    rows = 0
    for students in args.students:
        for seed in args.seeds:
            with tempfile.TemporaryDirectory() as folder:
                demo_files.write(sample.generate(students, seed=seed, history_years=3), Path(folder))
                exports = load_exports(Path(folder), require=("attendance", "grades", "outcomes"))
                result = train(exports, seed=0, n_boot=200)
                ts = training_set(exports)
                train_idx, test_idx, _ = split(ts, 0)
                names = list(result.fitted.features) + list(result.card.features_dropped)
                x = ts.features.loc[:, names].to_numpy(dtype=float)
                plain = make_pipeline(
                    SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=5000)
                ).fit(x[train_idx], ts.labels[train_idx])
                plain_auc = roc_auc_score(ts.labels[test_idx], plain.predict_proba(x[test_idx])[:, 1])
                bent = fit_shape(
                    "additive",
                    ts.features.iloc[train_idx],
                    ts.labels[train_idx],
                    feature_names=names,
                    c=1.0,
                    penalty=result.card.shape_choice.penalty if result.card.shape_choice else None,
                    class_weight=None,
                    seed=0,
                    groups=ts.student_ids[train_idx],
                    calibrate=False,
                )
                bent_auc = roc_auc_score(ts.labels[test_idx], predict(bent, ts.features.iloc[test_idx]))
                auc = result.card.metrics.roc_auc
                ok = auc.high is not None and plain_auc <= auc.high
                held += ok
                rows += 1
                shape = result.card.parameters.shape
                print(
                    f"{students:>8} {seed:>4} {shape:>8} {auc.value:>8.3f} ({auc.low:.3f}-{auc.high:.3f}) "
                    f"{plain_auc:>8.3f} {bent_auc:>8.3f}  {'holds' if ok else 'MISSED'}"
                )
    print(f"target holds on {held} of {rows} histories")
    return 0 if held == rows else 1


if __name__ == "__main__":
    raise SystemExit(main())
