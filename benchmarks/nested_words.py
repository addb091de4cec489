"""The words of the nested benchmark's documents: a contract vocabulary with Zipf frequencies,
figures as contracts write them, and the rewordings a redraft makes.

Legal function words come first, then a middle band of contract terms, then a long tail of
names and technical terms, so that sibling items are told apart by their rarer words as real
clauses are. Everything is drawn from a seeded :class:`random.Random` passed in.
"""

from __future__ import annotations

import bisect
import itertools
import random

_FUNCTION = (  # noqa: SIM905 (word lists read best as prose)
    "the of and to in shall be by for with on any such or that which as from at this a an not "
    "no other under upon into after before between each its their all may must including "
    "without within provided subject pursuant thereof hereunder whether where has is are"
).split()

_DOMAIN = (  # noqa: SIM905 (word lists read best as prose)
    "supplier customer party parties agreement services fees invoice invoices payment charges "
    "term termination notice breach remedy liability indemnity damages losses claims "
    "confidential information intellectual property rights licence data personal processing "
    "controller processor security audit records insurance majeure dispute resolution "
    "arbitration governing law jurisdiction assignment subcontracting warranties representations "
    "deliverables milestones acceptance tests specification change control levels credits "
    "availability support maintenance incident response escrow source code materials equipment "
    "premises personnel employees contractor subcontractor affiliate group third regulatory "
    "authority compliance bribery sanctions export taxes currency interest late disputed amount "
    "period days months business working calendar year quarter annual renewal expiry extension "
    "written consent approval reasonable commercially efforts endeavours promptly immediately "
    "material adverse effect obligations performance delay failure default cure suspend "
    "terminate recover costs expenses reimburse procure ensure obtain maintain comply notify "
    "provide deliver perform remedy rectify replace repair refund withhold set-off deduct "
    "account accounts report reports meeting board representative manager plan plans schedule "
    "programme documentation training handover exit transition migration retained assets "
    "systems software hardware network hosting backup recovery continuity disaster outage "
    "maintenance window notice period objection request requests variation amendment waiver "
    "severance counterpart clause provision provisions benefit successor insolvency "
    "administrator liquidation control change owner shares employee transfer regulations "
    "health safety environment policy policies standards industry practice good "
    "skill care diligence competent qualified vetted"
).split()

_SYNONYMS = {
    "shall": "will",
    "terminate": "end",
    "termination": "expiry",
    "promptly": "without-delay",
    "reasonable": "appropriate",
    "obtain": "secure",
    "ensure": "procure",
    "notice": "notification",
    "fees": "charges",
    "breach": "default",
    "costs": "expenses",
    "endeavours": "efforts",
    "provide": "supply",
    "deliver": "hand-over",
    "immediately": "forthwith",
    "consent": "approval",
    "written": "documented",
    "losses": "liabilities",
    "maintain": "keep",
    "notify": "inform",
    "request": "demand",
    "refund": "repay",
    "personnel": "staff",
    "remedy": "cure",
    "comply": "conform",
    "within": "inside",
    "including": "notably",
    "subject": "conditional",
    "records": "books",
    "material": "significant",
    "programme": "schedule",
    "standards": "norms",
    "competent": "capable",
    "qualified": "trained",
}
_SYNONYMS.update({v: k for k, v in list(_SYNONYMS.items()) if v not in _SYNONYMS})

_OPENINGS = (
    ("the", "supplier", "shall"),
    ("the", "customer", "shall"),
    ("either", "party", "may"),
    ("the", "supplier", "shall", "not"),
    ("the", "parties", "shall"),
    ("subject", "to", "this", "clause"),
    ("without", "prejudice", "to"),
    ("any",),
)

HEADINGS = (  # noqa: SIM905 (word lists read best as prose)
    "definitions|interpretation|commencement|term|services|supplier obligations|customer "
    "obligations|charges|payment|invoicing|taxes|service levels|service credits|change "
    "control|acceptance|personnel|subcontracting|intellectual property|licence|confidentiality|"
    "data protection|security|audit|records|insurance|warranties|indemnities|limitation of "
    "liability|force majeure|suspension|termination|consequences of termination|exit "
    "management|dispute resolution|governing law|jurisdiction|notices|assignment|waiver|"
    "severance|entire agreement|variation|counterparts|third party rights|anti-bribery|"
    "sanctions|health and safety|environment|business continuity|benchmarking|governance|"
    "reporting|milestones|delivery|risk and title|price review|set-off|non-solicitation|"
    "publicity|escrow|step-in rights|relationship of the parties|further assurance|costs"
).split("|")

SCHEDULE_TITLES = (  # noqa: SIM905
    "services|service levels|charges|implementation plan|data processing|security "
    "requirements|exit plan|governance|key personnel|approved subcontractors"
).split("|")

_ONSETS = "b br ch d dr g h k kl l m n p pr r s sk st t tr v w z".split()  # noqa: SIM905
_NUCLEI = "a e i o u ae ei ou ia".split()  # noqa: SIM905
_CODAS = ["", "n", "rd", "l", "r", "st", "x", "m", "ck"]
_SUFFIX = ["ford", "holm", "wick", "berg", "ton", "ley", "mark", "haven", "gate", "dale"]
_TECH_HEAD = (  # noqa: SIM905
    "cloud edge ledger payroll billing identity archive telemetry logistics customs freight "
    "treasury pension claims fleet warehouse pharmacy laboratory retail energy metering"
).split()
_TECH_TAIL = (  # noqa: SIM905
    "platform gateway module register portal service console interface index catalogue "
    "toolkit dashboard workflow repository"
).split()


def _vocabulary() -> tuple[list[str], list[float]]:
    """Words by frequency rank and their cumulative Zipf weights (fixed for all pairs)."""
    rng = random.Random(20261204)
    seen = set(_FUNCTION) | set(_DOMAIN) | set(_SYNONYMS)
    tail: list[str] = []
    while len(tail) < 2400:
        name = "".join(
            rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
            for _ in range(rng.randint(1, 2))
        ) + rng.choice(_SUFFIX)
        if name not in seen:
            seen.add(name)
            tail.append(name.capitalize())
    for head, end in itertools.product(_TECH_HEAD, _TECH_TAIL):
        if rng.random() < 0.6:
            tail.append(f"{head}-{end}")
    rng.shuffle(tail)
    domain = list(dict.fromkeys(_DOMAIN))
    rng.shuffle(domain)
    words = list(dict.fromkeys(_FUNCTION)) + domain + tail
    cumulative = list(itertools.accumulate(1.0 / (rank + 2.5) for rank in range(len(words))))
    return words, cumulative


_WORDS, _CUMULATIVE = _vocabulary()
_NUMBER_WORDS = ["two", "three", "five", "seven", "ten", "twelve", "twenty", "fifty"]


def draw_word(rng: random.Random) -> str:
    return _WORDS[bisect.bisect_left(_CUMULATIVE, rng.random() * _CUMULATIVE[-1])]


def figure(rng: random.Random) -> list[str]:
    """A figure as contracts write them: periods, amounts, rates, years, sums in words."""
    kind = rng.random()
    if kind < 0.3:
        return [str(rng.choice([5, 7, 10, 14, 20, 28, 30, 45, 60, 90])), "days"]
    if kind < 0.5:
        return [f"£{rng.randint(1, 950) * 1000:,}"]
    if kind < 0.65:
        return [f"{rng.randint(1, 40)}%"]
    if kind < 0.8:
        return [str(rng.choice([3, 6, 12, 18, 24, 36])), "months"]
    if kind < 0.9:
        return [rng.choice(_NUMBER_WORDS), "thousand", "pounds"]
    return [str(rng.randint(2026, 2040))]


def is_figure(word: str) -> bool:
    return word[:1].isdigit() or word[:1] == "£" or word in _NUMBER_WORDS


def draw_words(rng: random.Random, low: int, high: int, opening: float = 0.4) -> list[str]:
    """A run of words of a length in [low, high], maybe with a stock opening and a figure."""
    out: list[str] = list(rng.choice(_OPENINGS)) if rng.random() < opening else []
    target = rng.randint(low, high)
    while len(out) < target:
        out.append(draw_word(rng))
    if rng.random() < 0.35:
        k = rng.randrange(len(out) // 2, len(out) + 1)
        out[k:k] = figure(rng)
    return out


def reword(rng: random.Random, words: list[str], heavy: bool) -> list[str]:
    """Light: one or two words swapped, added or dropped. Heavy: about a third of the words,
    synonyms first, as a redraft keeps the substance and changes the phrasing."""
    out = list(words)
    heavy = heavy and len(out) >= 9  # a third of a shorter item leaves too little to recognise
    edits = max(3, len(out) // 3) if heavy else rng.randint(1, 2)
    for _ in range(edits):
        swappable = [k for k, w in enumerate(out) if w in _SYNONYMS]
        r = rng.random()
        if swappable and r < 0.4:
            k = rng.choice(swappable)
            out[k] = _SYNONYMS[out[k]]
        elif r < 0.7 or len(out) < 6:
            out.insert(rng.randrange(len(out) + 1), draw_word(rng))
        else:
            del out[rng.randrange(len(out))]
    if out == words:
        out.append(draw_word(rng))
    return out


def change_figures(rng: random.Random, words: list[str]) -> list[str]:
    """Every figure gets another value ("30 days" → "45 days", "five thousand" → "seven …")."""
    out = list(words)
    spots = [k for k, w in enumerate(out) if is_figure(w)]
    if not spots:
        k = rng.randrange(len(out) // 2, len(out) + 1)
        out[k:k] = figure(rng)
        return out
    for k in spots:
        out[k] = _other_figure(rng, out[k])
    return out


def _other_figure(rng: random.Random, word: str) -> str:
    """Another value of the same sort: a sum in words stays in words, a rate a rate."""
    if word in _NUMBER_WORDS:
        choices = _NUMBER_WORDS
    elif word.startswith("£"):
        choices = [f"£{k * 5000:,}" for k in range(1, 200)]
    elif word.endswith("%"):
        choices = [f"{k}%" for k in range(1, 41)]
    elif len(word) == 4 and word.startswith("20"):
        choices = [str(y) for y in range(2026, 2041)]
    else:
        choices = [str(k) for k in (3, 5, 6, 7, 10, 12, 14, 18, 20, 24, 28, 30, 36, 45, 60, 90)]
    return rng.choice([c for c in choices if c != word])
