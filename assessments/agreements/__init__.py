"""Entrusted evaluation agreements (委托评价协议, seed 004 §一(二)): drafted by the evaluating
enterprise, confirmed by the client enterprise, approved by both parties' bureaus."""
