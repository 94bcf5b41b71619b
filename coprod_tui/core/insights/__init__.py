"""Insights: the second kind of document, what was learned, linked to the passages it came from.

``model`` (:class:`Insight`, :class:`Link`, :class:`Plan`, every value checked
on read), ``anchoring`` (re-finding a quoted passage after the text around it
changed), ``merge`` (three-way merge of two edits of one insight) and
``store`` (:class:`InsightStore`, a document folder beside the cases, opened
from a case store with :func:`insights_of`). Nothing here is imported by
``coprod show``, ``write`` or ``list``: data classes are used freely.
"""
