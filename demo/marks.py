"""An expert's marks for a demo opinion: a single score, or under the checklist kept on the
assignment (seed 001 §六(一)2, seed 002 §六(二)) the same total spread over the items."""


def opinion_marks(assignment, score: int) -> dict:
    """The keyword arguments of filings.review.services.filing_expert_opinion for `score`."""
    items = assignment.checklist_items
    if not items:
        return {"score": score}
    scores = [item["weight"] * score // 100 for item in items]
    for index, item in enumerate(items):
        scores[index] += max(min(item["weight"] - scores[index], score - sum(scores)), 0)
    return {"item_scores": [{"score": value, "note": ""} for value in scores]}
