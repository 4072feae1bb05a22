"""Happenings: the same real-world event reported by many articles as one node (dip:Happening).

reports.py reads the article-level events of a store; matching.py says when two are one happening
(kg/data/happenings.json); clustering.py groups them, block by block, in an order that depends on the reports
only; rdf.py writes a happening as quads; refresh.py keeps the happenings graph in step after each build;
explain.py says why a happening holds its reports (`kg why`).
"""
from .refresh import Refresh, refresh_happenings

__all__ = ["Refresh", "refresh_happenings"]
