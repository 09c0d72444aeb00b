#!/usr/bin/python3
"""numpy / scikit-learn side of `npm run bench:analysis`: the same probes on the same features.

Usage: /usr/bin/python3 scripts/bench_sklearn.py DIR [--ridge] [--softmax] [--ridge-auto] [--softmax-auto] [--cka [--cka-max-fraction F]] [--l2 λ]
DIR holds train.npy (n×d float32), train_labels.npy, test.npy, test_labels.npy and cells.json
([{"fraction", "seed", "indices", "softmax": bool, "ridge_grid", "softmax_grid"}]), and for the tuned
protocols split.json ({"fit", "val", "patience", "stride", "smoothing"}: the same validation part of the training rows as ours),
written by bench/analysis.ts.
Prints one JSON object on the last line of stdout.

Penalty mapping (the TypeScript probes' λ, n training rows):
  ridge   = Ridge(alpha = n·λ) on one-hot targets, here solved from one centred Gram with numpy;
  softmax = LogisticRegression(C = 1/(n·λ), solver='lbfgs', max_iter=1000), scikit-learn defaults otherwise.
Tuned protocols (the same as the TypeScript `--l2 auto`, on the same validation split and λ grids):
  --ridge-auto:   per cell, numpy eigh of the fit rows' centred Gram block, every λ of the cell's grid
                  scored on the held-out rows, best (ties → larger λ) refit on all rows (np.linalg.solve);
  --softmax-auto: per cell, LogisticRegression(C = 1/(n_fit·λ), warm_start=True) walked from large to
                  small λ over every `stride`-th λ of the grid (the decades), stopping after `patience`
                  of those steps without a better validation accuracy (counted once some λ has beaten
                  the first), then the skipped λ beside the best (warm-started from its head); λ* is the
                  best of those by the curve smoothed over ±`smoothing` tried neighbours (ties → larger
                  λ, as ours), then refit on all rows at C = 1/(n·λ*) warm-started from that λ's head.
"""
import json
import sys
import time

import numpy as np


def choose_on_curve(acc, radius, candidates=None):
    """Index of the best accuracy averaged over each point and its `radius` neighbours (fewer at the
    ends), among `candidates` (all points when None); the first (larger λ) on ties — the TypeScript
    chooseOnCurve."""
    allowed = list(range(len(acc))) if candidates is None else list(candidates)
    smooth = [np.mean(acc[max(0, i - radius):i + radius + 1]) for i in range(len(acc))]
    best = allowed[0]
    for i in allowed[1:]:
        if smooth[i] > smooth[best] + (1e-12 if radius > 0 else 0):
            best = i
    return best


def main():
    d = sys.argv[1]
    flags = set(a for a in sys.argv[2:] if a.startswith("--"))
    lam = 1e-4
    cka_max = 1.0
    if "--cka-max-fraction" in sys.argv:
        cka_max = float(sys.argv[sys.argv.index("--cka-max-fraction") + 1])
    if "--l2" in sys.argv:
        lam = float(sys.argv[sys.argv.index("--l2") + 1])
    X = np.load(f"{d}/train.npy", mmap_mode="r")
    y = np.load(f"{d}/train_labels.npy").astype(np.int64)
    Xt = np.load(f"{d}/test.npy", mmap_mode="r")
    yt = np.load(f"{d}/test_labels.npy").astype(np.int64)
    cells = json.load(open(f"{d}/cells.json"))
    n, C = X.shape[0], int(max(y.max(), yt.max())) + 1
    out = {"n": n, "d": X.shape[1], "classes": C, "l2": lam, "numpy": np.__version__}

    if "--ridge" in flags:
        t0, c0 = time.time(), time.process_time()
        X64 = np.asarray(X, dtype=np.float64)
        mu = X64.mean(0)
        Xc = X64 - mu
        G = Xc.T @ Xc
        Y = np.eye(C)[y]
        XtY = Xc.T @ (Y - Y.mean(0))
        del X64, Xc
        t_gram = time.time() - t0
        accs = []
        for c in cells:
            s = np.asarray(c["indices"])
            W = np.linalg.solve(G[np.ix_(s, s)] + n * lam * np.eye(len(s)), XtY[s])
            b = Y.mean(0) - mu[s] @ W
            pred = np.argmax(np.asarray(Xt[:, s], dtype=np.float64) @ W + b, 1)
            accs.append(float((pred == yt).mean()))
        out["ridge"] = {"gram_seconds": t_gram, "seconds": time.time() - t0, "cpu": time.process_time() - c0, "accuracy": accs}

    if "--softmax" in flags:
        from sklearn import __version__ as skv
        from sklearn.linear_model import LogisticRegression
        out["sklearn"] = skv
        res = []
        order = sorted((i for i, c in enumerate(cells) if c.get("softmax")), key=lambda i: len(cells[i]["indices"]))
        for i in order:
            c = cells[i]
            s = np.asarray(c["indices"])
            Xs = np.ascontiguousarray(X[:, s])
            t0, c0 = time.time(), time.process_time()
            clf = LogisticRegression(C=1.0 / (n * lam), solver="lbfgs", max_iter=1000).fit(Xs, y)
            secs, cpu = time.time() - t0, time.process_time() - c0
            acc = float(clf.score(np.ascontiguousarray(Xt[:, s]), yt))
            res.append({"cell": i, "k": len(s), "seconds": secs, "cpu": cpu, "accuracy": acc, "iterations": int(clf.n_iter_[0])})
            print(f"sklearn cell {i} k={len(s)}: {secs:.1f}s acc {acc:.4f} it {clf.n_iter_[0]}", file=sys.stderr, flush=True)
        out["softmax"] = res

    if "--ridge-auto" in flags or "--softmax-auto" in flags:
        split = json.load(open(f"{d}/split.json"))
        fit, val = np.asarray(split["fit"]), np.asarray(split["val"])
        patience = int(split.get("patience", 2))
        stride = int(split.get("stride", 1))
        smoothing = int(split.get("smoothing", 0))
        nf = len(fit)

    if "--ridge-auto" in flags:
        t0, c0 = time.time(), time.process_time()
        X64 = np.asarray(X, dtype=np.float64)
        Y = np.eye(C)[y]

        def moments(rows):
            Xr = X64[rows]
            mu = Xr.mean(0)
            Xc = Xr - mu
            Yr = Y[rows]
            return mu, Xc.T @ Xc, Xc.T @ (Yr - Yr.mean(0)), Yr.mean(0)

        mu, G, XtY, ybar = moments(np.arange(n))
        muf, Gf, XtYf, ybarf = moments(fit)
        Xv, yv = X64[val], y[val]
        del X64
        t_gram = time.time() - t0
        accs, chosen = [], []
        for c in cells:
            s = np.asarray(c["indices"])
            grid = np.asarray(c["ridge_grid"])
            w, Q = np.linalg.eigh(Gf[np.ix_(s, s)])
            B = Q.T @ XtYf[s]
            vacc = []
            for lam_j in grid:
                W = Q @ (B / (np.maximum(w, 0) + nf * lam_j)[:, None])
                b = ybarf - muf[s] @ W
                vacc.append(float((np.argmax(Xv[:, s] @ W + b, 1) == yv).mean()))
            best = int(np.argmax(vacc))  # first maximum: the larger λ on ties
            lam_b = float(grid[best])
            W = np.linalg.solve(G[np.ix_(s, s)] + n * lam_b * np.eye(len(s)), XtY[s])
            b = ybar - mu[s] @ W
            accs.append(float((np.argmax(np.asarray(Xt[:, s], dtype=np.float64) @ W + b, 1) == yt).mean()))
            chosen.append(lam_b)
        out["ridge_auto"] = {"gram_seconds": t_gram, "seconds": time.time() - t0, "cpu": time.process_time() - c0, "accuracy": accs, "l2": chosen}

    if "--softmax-auto" in flags:
        from sklearn.linear_model import LogisticRegression
        res = []
        order = sorted((i for i, c in enumerate(cells) if c.get("softmax")), key=lambda i: len(cells[i]["indices"]))
        for i in order:
            c = cells[i]
            s = np.asarray(c["indices"])
            Xs = np.ascontiguousarray(X[:, s])
            Xf, yf, Xv, yv = Xs[fit], y[fit], Xs[val], y[val]
            t0, c0 = time.time(), time.process_time()
            grid = c["softmax_grid"]
            fitted = {}  # grid index -> (validation accuracy, head)
            iters = 0

            def fit_at(j, start):
                nonlocal iters
                clf = LogisticRegression(C=1.0 / (nf * grid[j]), solver="lbfgs", max_iter=1000, warm_start=True)
                if start is not None:
                    clf.coef_, clf.intercept_ = start[0].copy(), start[1].copy()
                clf.fit(Xf, yf)
                iters += int(clf.n_iter_[0])
                fitted[j] = (float(clf.score(Xv, yv)), (clf.coef_.copy(), clf.intercept_.copy()))

            # Coarse pass over every `stride`-th λ, warm-started, stopping after `patience` coarse
            # steps without a better validation accuracy (counted once some λ has beaten the first).
            best_j, since, head = -1, 0, None
            for j in range(0, len(grid), stride):
                fit_at(j, head)
                head = fitted[j][1]
                if best_j < 0 or fitted[j][0] > fitted[best_j][0]:
                    best_j, since = j, 0
                elif best_j > 0:
                    since += 1
                    if since >= patience:
                        break
            # Fine pass: the skipped λ within stride - 1 of the coarse best, outwards from its head.
            if stride > 1:
                for side in (-1, 1):
                    head = fitted[best_j][1]
                    j = best_j + side
                    while abs(j - best_j) < stride and 0 <= j < len(grid):
                        if j not in fitted:
                            fit_at(j, head)
                        head = fitted[j][1]
                        j += side
            order = sorted(fitted)
            tried = [fitted[j][0] for j in order]
            heads = [fitted[j][1] for j in order]
            cands = [i for i, j in enumerate(order) if abs(j - best_j) < stride] if stride > 1 else None
            best = choose_on_curve(tried, smoothing, cands)
            lam_b = float(grid[order[best]])
            final = LogisticRegression(C=1.0 / (n * lam_b), solver="lbfgs", max_iter=1000, warm_start=True)
            final.coef_, final.intercept_ = heads[best]
            final.fit(Xs, y)
            iters += int(final.n_iter_[0])
            secs, cpu = time.time() - t0, time.process_time() - c0
            acc = float(final.score(np.ascontiguousarray(Xt[:, s]), yt))
            res.append({"cell": i, "k": len(s), "seconds": secs, "cpu": cpu, "accuracy": acc, "iterations": iters, "l2": lam_b, "validation": tried})
            print(f"sklearn tuned cell {i} k={len(s)}: {secs:.1f}s acc {acc:.4f} λ {lam_b:.3g} it {iters}", file=sys.stderr, flush=True)
        out["softmax_auto"] = res

    if "--cka" in flags:
        # Direct linear CKA (biased HSIC) on the centred test rows, for cells with fraction ≤ cka_max
        # (and the full layer as the "whole").
        t0 = time.time()
        Z = np.asarray(Xt, dtype=np.float64)
        Z = Z - Z.mean(0)
        full = np.linalg.norm(Z.T @ Z)
        used = [i for i, c in enumerate(cells) if c["fraction"] <= cka_max]
        vals = []
        for i in used:
            A = Z[:, np.asarray(cells[i]["indices"])]
            vals.append(float(np.linalg.norm(A.T @ Z) ** 2 / (np.linalg.norm(A.T @ A) * full)))
        out["cka_part_whole"] = {"seconds": time.time() - t0, "cells": used, "values": vals}
        # Subset vs subset: every pair of seeds (i < j, in cells.json order) at each fraction < 1.
        t0 = time.time()
        pairs, pvals = [], []
        for f in sorted(set(c["fraction"] for c in cells if c["fraction"] < 1 and c["fraction"] <= cka_max)):
            group = [i for i, c in enumerate(cells) if c["fraction"] == f]
            for a in range(len(group)):
                for b in range(a + 1, len(group)):
                    A = Z[:, np.asarray(cells[group[a]]["indices"])]
                    B = Z[:, np.asarray(cells[group[b]]["indices"])]
                    pairs.append([group[a], group[b]])
                    pvals.append(float(np.linalg.norm(A.T @ B) ** 2 / (np.linalg.norm(A.T @ A) * np.linalg.norm(B.T @ B))))
        out["cka_subset_subset"] = {"seconds": time.time() - t0, "pairs": pairs, "values": pvals}

    print(json.dumps(out))


if __name__ == "__main__":
    main()
