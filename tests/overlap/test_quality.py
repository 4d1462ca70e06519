"""Quality measured on the labelled pairs of pairs.yaml: precision and recall at the
threshold the pages use, and how often the overlapping activity is among the first
three. Run with ``-s`` to read the figures."""

from overlap import engine
from overlap.selectors import sources_for

from .conftest import PAIRS, proposal_doc


def _scores(secretariat, doc: dict[str, float]) -> list[tuple[str, int, float]]:
    return engine.ranks(doc, sources_for(secretariat, None))


def test_labelled_pairs_precision_recall_and_top_three(labelled, secretariat):
    overlapping, unrelated = PAIRS["overlapping"], PAIRS["unrelated"]
    ids = {key: a.pk for key, a in labelled.items()}
    positives, negatives, top3 = [], [], 0
    for item in overlapping:
        ranked = _scores(secretariat, proposal_doc(item))
        order = [pk for kind, pk, _s in ranked if kind == "activity"]
        target = ids[item["activity"]]
        if target in order[:3]:
            top3 += 1
        positives.append(next((s for _k, pk, s in ranked if pk == target), 0.0))
    for item in unrelated:
        ranked = {pk: s for _k, pk, s in _scores(secretariat, proposal_doc(item))}
        negatives += [ranked.get(ids[key], 0.0) for key in item["not"]]
    assert len(positives) >= 30 and len(negatives) >= 30

    def figures(threshold):
        tp = sum(s >= threshold for s in positives)
        fp = sum(s >= threshold for s in negatives)
        precision = tp / (tp + fp) if tp + fp else 1.0
        return precision, tp / len(positives)

    print(f"\n{len(positives)} overlapping pairs, {len(negatives)} pairs that do not overlap")
    for threshold in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3):
        precision, recall = figures(threshold)
        print(f"  threshold {threshold:.2f}: precision {precision:.2f}  recall {recall:.2f}")
    precision, recall = figures(engine.THRESHOLD)
    rate = top3 / len(overlapping)
    print(
        f"at the threshold {engine.THRESHOLD}: precision {precision:.2f}, recall {recall:.2f};"
        f" the overlapping activity in the top 3: {rate:.0%} ({top3}/{len(overlapping)})"
    )
    assert rate >= 0.9
    assert precision >= 0.9
    assert recall >= 0.8
