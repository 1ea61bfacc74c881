"""Split a sequence into fixed-size pages."""


def paginate(items, page, per_page):
    """Return the items shown on ``page`` when ``items`` is split into pages.

    Pages are numbered from 1. Every page holds ``per_page`` items except
    possibly the last one, which holds whatever is left over.

    Args:
        items: any sequence (list, tuple, str, range, ...). It is not modified.
        page: the 1-based page number.
        per_page: the number of items per page.

    Returns:
        A new ``list`` with the items of that page, in their original order.
        A page number that does not exist (less than 1, or past the last page)
        gives an empty list. An empty ``items`` has no pages at all.

    Raises:
        ValueError: if ``per_page`` is less than 1 (whatever ``items`` and
            ``page`` are).
    """
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    total_pages = len(items) // per_page
    if page < 1 or page > total_pages:
        return []
    start = page * per_page
    end = start + per_page
    return list(items[start:end])
