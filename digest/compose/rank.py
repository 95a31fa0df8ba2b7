"""Weight, caps and order: which stories make the edition and which one leads.

weight = Σ over the outlets that told the story (1 + ½·priority) + recency, where recency
is 1 for a story first told ``now`` and halves every ``HALF_LIFE``. More outlets outweigh
anything else; among equals the sources' priorities, then freshness decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from digest.types import Section, Story

HALF_LIFE = dt.timedelta(hours=12)


def weight(priorities: Iterable[int], when: dt.datetime, now: dt.datetime) -> float:
    """``priorities``: one per distinct outlet."""
    age = max((now - when).total_seconds(), 0.0)
    recency: float = 0.5 ** (age / HALF_LIFE.total_seconds())
    return round(sum(1.0 + 0.5 * p for p in priorities) + recency, 4)


def rank_key(story: Story) -> tuple[float, float, str]:
    """Heaviest first, then newest, then by id: the order stories make the edition in."""
    when = story.published or story.first_seen_at
    return (-story.weight, -when.timestamp(), story.id)


def arrange(
    placed: Sequence[tuple[str, Story]],
    order: Sequence[str],
    *,
    max_items: int,
    max_per_section: int,
) -> tuple[Section, ...]:
    """Sections of the heaviest stories within the caps.

    Sections follow ``order`` (names not in it come after, in order of their heaviest
    story), except that the section of the heaviest story comes first, so that the
    edition's first story, ``Edition.top``, is the heaviest one. Within a section the
    heaviest story comes first.
    """
    ranked = sorted(placed, key=lambda p: rank_key(p[1]))
    chosen: dict[str, list[Story]] = {}
    total = 0
    for name, story in ranked:
        if total >= max_items:
            break
        stories = chosen.setdefault(name, [])
        if max_per_section and len(stories) >= max_per_section:
            continue
        stories.append(story)
        total += 1
    names = [n for n in order if chosen.get(n)]
    names += [n for n in chosen if n not in names and chosen[n]]
    if ranked and ranked[0][0] in names:
        lead = ranked[0][0]
        names.remove(lead)
        names.insert(0, lead)
    return tuple(Section(n, tuple(chosen[n])) for n in names)
