"""Revisions of articles, one module per concern (the revision rows themselves are models, in
articles.models.editorial; every write of an article goes through articles.services.article_save).

    snapshots.py  what a revision keeps of an article, and how a kept state is put back
    compare.py    two texts side by side with the changed words marked
    review.py     approving, sending back or withdrawing a proposal; restoring a revision
    drafting.py   a writer's working copy: the live article with their pending proposal on top
"""
