"""Hand-built :class:`DiffResult` objects for renderer tests (no engine needed).

``seed_like()`` mirrors the bundled registry's us-28 → geneva-19; ``every_kind()`` holds one
change of every :class:`ChangeKind` with redlines, substantive changes, moves and evidence;
``hostile()`` puts markup, ANSI and OSC-8 escapes and control characters in every text field;
``nested_kinds()`` holds nested changes of every sort under points named by paths.
"""

from __future__ import annotations

import datetime as dt

from plandiff.models import Completeness
from plandiff.redline import redline
from plandiff.result import (
    Basis,
    BracketChange,
    BracketChangeKind,
    Change,
    ChangeKind,
    DeclaredCount,
    DiffResult,
    EvidenceRef,
    NestedChange,
    PartChange,
    PointRef,
    Redline,
    RedlineOp,
    Settings,
    Substantive,
    SubstantiveKind,
    TextPart,
    VersionSummary,
)

E, D, INS = RedlineOp.EQUAL, RedlineOp.DELETE, RedlineOp.INSERT

SETTINGS = Settings(
    algorithm="test", match_threshold=0.5, containment_threshold=0.6, redline="test"
)

#: Everything a hostile article or registry file might carry to attack a terminal or a page.
HOSTILE = (
    "[bold red]x[/] \x1b[31mred\x1b[0m \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "\x07bell\x08 \x9b31m \u202egnp.exe <script>alert(1)</script> [a](javascript:x) "
    "**b** _i_ `c` <!-- x --> &amp; | # h \r\n"
)


def ref(
    key: str,
    number: int | None,
    index: int,
    text: str,
    verbatim: bool = True,
    heading: tuple[str, ...] = (),
) -> PointRef:
    return PointRef(
        key=key, number=number, index=index, verbatim=verbatim, text=text, heading=heading
    )


def ev(role: str, point: str | None, quote: str, start: int | None = 10, **source) -> EvidenceRef:
    fields = {"source": "src-a", "title": "Plan text", "outlet": "Wire", "url": None}
    fields.update(source)
    return EvidenceRef(
        role=role,
        point=point,
        quote=quote,
        start=start,
        end=None if start is None else start + len(quote),
        **fields,
    )


def version(vid: str, title: str, **kw) -> VersionSummary:
    data = {
        "id": vid,
        "title": title,
        "known_points": 0,
        "completeness": Completeness.FULL,
    }
    data.update(kw)
    return VersionSummary(**data)


def seed_like() -> DiffResult:
    """What the engine should say for us-28 → geneva-19 in the bundled registry."""
    unaxx = {
        "title": (
            "Zelenskyy, Rubio, and Rutte joined a virtual meeting of the coalition of the willing"
        ),
        "outlet": "UNN",
        "source": "004_6478cbe8c4d60a5a",
    }
    old_ev = ev(
        "version",
        None,
        "On November 20, Axios published a 28-point peace plan by US President "
        "Donald Trump between Ukraine and Russia",
        1183,
        **unaxx,
    )
    new_ev = ev(
        "version",
        None,
        "the initial 28-point US peace plan was reduced to 19 points",
        1565,
        **unaxx,
    )
    described = [
        (
            "territory",
            "Territorial concessions.",
            "which provides for territorial concessions",
            1294,
        ),
        (
            "armed-forces",
            "Restrictions on the Ukrainian armed forces.",
            "restrictions on the Ukrainian armed forces",
            1338,
        ),
        ("us-guarantees", "Certain US guarantees.", "certain US guarantees", 1382),
        ("economy", "Economic components.", "and economic components", 1405),
    ]
    old_refs = [ref(k, None, i + 1, t, verbatim=False) for i, (k, t, _, _) in enumerate(described)]
    territory_new = ref(
        "territory",
        None,
        1,
        "Territorial issues are not settled in the text: they are left to a meeting of "
        "Presidents Zelenskyy and Trump.",
        verbatim=False,
    )
    changes = [
        Change(
            kind=ChangeKind.REWORDED,
            old=(old_refs[0],),
            new=(territory_new,),
            similarity=0.21,
            basis=Basis.CURATED,
            evidence=(
                ev("old", "territory", described[0][2], described[0][3], **unaxx),
                ev(
                    "new",
                    "territory",
                    "any discussions of territorial issues would likely take "
                    "place at a meeting between Ukrainian President Volodymyr Zelenskyy and US "
                    "President Donald Trump",
                    2151,
                    **unaxx,
                ),
                ev(
                    "relation",
                    None,
                    "The President's Office stated that any discussions of "
                    "territorial issues would likely take place at a meeting",
                    2116,
                    **unaxx,
                ),
                ev(
                    "relation",
                    None,
                    "the American delegation is adjusting the peace plan based "
                    "on the proposals received during the meeting",
                    1100,
                    source="000_01fd698e422cb727",
                    title=None,
                    outlet=None,
                ),
            ),
            note="The 28-point plan provided for territorial concessions; after Geneva, "
            "territorial questions are reported as left to a meeting of the two presidents. "
            "The new wording itself is not known.",
        )
    ]
    for r, (k, _, quote, start) in zip(old_refs[1:], described[1:], strict=True):
        changes.append(
            Change(
                kind=ChangeKind.UNREPORTED,
                old=(r,),
                basis=Basis.AUTOMATIC,
                evidence=(ev("old", k, quote, start, **unaxx),),
            )
        )
    return DiffResult(
        old=version(
            "us-28",
            "US 28-point peace plan",
            date=dt.date(2025, 11, 20),
            issuer=("United States (President Donald Trump)",),
            declared_points=28,
            known_points=4,
            completeness=Completeness.PARTIAL,
            evidence=(old_ev,),
        ),
        new=version(
            "geneva-19",
            "19-point plan after the Geneva talks",
            date=dt.date(2025, 11, 24),
            issuer=("United States", "Ukraine"),
            declared_points=19,
            known_points=1,
            completeness=Completeness.PARTIAL,
            derived_from="us-28",
            evidence=(new_ev,),
        ),
        settings=SETTINGS,
        declared=DeclaredCount(old=28, new=19, old_unaccounted=24, new_unaccounted=18),
        changes=tuple(changes),
    )


def every_kind(text: str = "") -> DiffResult:
    """One change of each kind, two versions of a full text; ``text`` is mixed into every field."""
    t = text
    src = {"source": "plan-v1", "title": f"plan-v1.txt{t}", "outlet": None}
    src2 = {"source": "plan-v2", "title": f"plan-v2.txt{t}", "outlet": None}
    p = [
        f"The ceasefire takes effect at 06:00 on 1 March.{t}",
        f"All heavy weapons are withdrawn 15 km from the line of contact.{t}",
        f"Prisoners are exchanged all for all.{t}",
        f"An observer mission monitors the line.{t}",
        f"The mission reports weekly.{t}",
        f"Elections are held within 100 days.{t}",
        f"Sanctions are reviewed after six months.{t}",
    ]
    reworded = Redline(
        ops=(
            (E, "All heavy weapons are withdrawn "),
            (D, "15"),
            (INS, "30"),
            (E, " km from the line of contact"),
            (INS, " within 14 days"),
            (E, f".{t}"),
        )
    )
    merged = Redline(
        ops=(
            (E, "An observer mission monitors the line"),
            (D, f".{t}\nThe mission"),
            (INS, " and"),
            (E, f" reports weekly.{t}"),
        )
    )
    split = Redline(
        ops=(
            (E, "Elections are held within "),
            (D, "100"),
            (INS, "90"),
            (E, " days"),
            (D, "."),
            (INS, " of the ceasefire.\nInternational observers monitor the vote."),
            (E, t) if t else (E, ""),
        )
    )
    changes = (
        Change(
            kind=ChangeKind.UNCHANGED,
            old=(ref("p1", 1, 1, p[0]),),
            new=(ref("p1", 1, 1, p[0]),),
            similarity=1.0,
            basis=Basis.AUTOMATIC,
        ),
        Change(
            kind=ChangeKind.REWORDED,
            old=(ref("p2", 2, 2, p[1]),),
            new=(ref("p2", 2, 2, reworded.new_text),),
            similarity=0.82,
            basis=Basis.AUTOMATIC,
            redline=reworded,
            substantive=(
                Substantive(kind=SubstantiveKind.NUMBER, old="15", new="30"),
                Substantive(kind=SubstantiveKind.DURATION, old=None, new="14 days"),
            ),
            evidence=(
                ev("old", "p2", p[1], 120, **src),
                ev("new", "p2", reworded.new_text, 118, **src2),
            ),
            brackets=(
                BracketChange(kind=BracketChangeKind.AGREED, text=f"line of contact{t}"),
                BracketChange(kind=BracketChangeKind.CHOSEN, text=f"km{t}", others=(f"miles{t}",)),
            ),
        ),
        Change(
            kind=ChangeKind.ADDED,
            new=(ref("p3", 3, 3, f"Humanitarian corridors open daily.{t}"),),
            basis=Basis.AUTOMATIC,
        ),
        Change(
            kind=ChangeKind.MERGED,
            old=(
                ref("p4", 4, 4, p[3], heading=(f"Part A{t}",)),
                ref("p5", 5, 5, p[4], heading=(f"Part A{t}",)),
            ),
            new=(ref("p4", 4, 4, merged.new_text, heading=(f"Part B. Monitoring{t}",)),),
            similarity=0.9,
            basis=Basis.AUTOMATIC,
            redline=merged,
            heading_moved=True,
            subitems_changed=(f"(b){t}",),
        ),
        Change(
            kind=ChangeKind.SPLIT,
            old=(ref("p6", 6, 6, p[5]),),
            new=(
                ref("p5", 5, 5, "Elections are held within 90 days of the ceasefire."),
                ref("p6", 6, 6, f"International observers monitor the vote.{t}"),
            ),
            similarity=0.7,
            basis=Basis.CURATED,
            redline=split,
            substantive=(
                Substantive(kind=SubstantiveKind.DURATION, old="100 days", new="90 days"),
            ),
            note=f"Curated: the election clause was split.{t}",
            evidence=(
                ev(
                    "relation",
                    None,
                    f"the election clause was split in two{t}",
                    40,
                    source="news-1",
                    title=f"Talks end{t}",
                    outlet=f"Wire{t}",
                    published=dt.date(2025, 3, 2),
                    url="https://news.example/a?b=1&c=(2)",
                ),
            ),
        ),
        Change(
            kind=ChangeKind.UNCHANGED,
            moved=True,
            old=(ref("p3", 3, 3, p[2]),),
            new=(ref("p7", 7, 7, p[2]),),
            similarity=1.0,
            basis=Basis.AUTOMATIC,
        ),
        Change(
            kind=ChangeKind.REMOVED,
            old=(ref("p7", 7, 7, p[6]),),
            basis=Basis.AUTOMATIC,
            evidence=(ev("old", "p7", p[6], 400, **src),),
        ),
        Change(
            kind=ChangeKind.UNCHANGED,
            old=(ref("p8", 8, 8, f"This agreement enters into force on signature.{t}"),),
            new=(ref("p8", 8, 8, f"This agreement enters into force on signature.{t}"),),
            similarity=1.0,
            basis=Basis.AUTOMATIC,
        ),
        Change(
            kind=ChangeKind.UNCHANGED,
            old=(ref("p9", 9, 9, f"Disputes go to the joint commission.{t}"),),
            new=(ref("p9", 9, 9, f"Disputes go to the joint commission.{t}"),),
            similarity=1.0,
            basis=Basis.AUTOMATIC,
        ),
        Change(
            kind=ChangeKind.UNREPORTED,
            new=(ref(f"described{t}", None, 10, f"A described point.{t}", verbatim=False),),
            basis=Basis.AUTOMATIC,
        ),
        Change(
            kind=ChangeKind.REPLACED,
            old=(ref("p10", 10, 10, f"Talks resume in Geneva.{t}"),),
            new=(ref("p11", 11, 11, f"A reconstruction fund is set up.{t}"),),
            similarity=0.03,
            basis=Basis.AUTOMATIC,
        ),
        Change(
            kind=ChangeKind.DEFERRED,
            old=(ref("p11", 11, 11, f"The status of the border towns is settled.{t}"),),
            basis=Basis.CURATED,
            evidence=(ev("relation", None, f"left to a summit{t}", 500, **src2),),
            decided_by=f"the two leaders{t}",
            decide_at=f"a summit in May{t}",
        ),
    )
    preamble = Redline(
        ops=(
            (E, "The parties have "),
            (D, "agreed as follows"),
            (INS, f"NOT agreed to anything{t}"),
            (E, ":"),
        )
    )
    parts = (
        PartChange(
            part=TextPart.PREAMBLE,
            kind=ChangeKind.REWORDED,
            old=preamble.old_text,
            new=preamble.new_text,
            redline=preamble,
        ),
        PartChange(
            part=TextPart.HEADING,
            kind=ChangeKind.ADDED,
            old=None,
            new=f"Part B. Monitoring{t}",
            new_before=4,
        ),
        PartChange(
            part=TextPart.CLOSING,
            kind=ChangeKind.REMOVED,
            old=f"Done at Geneva on 1 March 2025.{t}",
            new=None,
        ),
    )
    return DiffResult(
        old=version(
            f"plan-v1{t}",
            f"Draft ceasefire{t}",
            date=dt.date(2025, 3, 1),
            known_points=9,
            issuer=(f"Mediator{t}",),
            declared_points=9,
        ),
        new=version(
            "plan-v2",
            f"Revised ceasefire{t}",
            date=dt.date(2025, 3, 2),
            known_points=9,
            completeness=Completeness.FULL,
            derived_from="plan-v1",
            declared_points=10,
        ),
        settings=SETTINGS,
        declared=DeclaredCount(old=9, new=10, old_unaccounted=0, new_unaccounted=1),
        changes=changes,
        parts=parts,
        warnings=(f"plan-v2.txt: numbering gap after 8{t}",),
    )


def hostile() -> DiffResult:
    return every_kind(HOSTILE)


#: Clause 7 of a contract and its revision: sub-clauses 7.1–7.5 with items (a)–(c), (i)–(ii).
CLAUSE_7_OLD = (
    "7. PAYMENT\n"
    "7.1 The buyer pays within 15 days of the invoice:\n"
    "(a) by bank transfer;\n"
    "(b) by cheque;\n"
    "(c) in cash.\n"
    "7.2 Late payment bears interest:\n"
    "(i) at the base rate;\n"
    "(ii) from the due date.\n"
    "7.3 Invoices are sent monthly.\n"
    "7.4 Invoices are itemised.\n"
    "7.5 Disputed sums are held in escrow and released on agreement.\n"
    "7.6 Prices are fixed for 12 months."
)
CLAUSE_7_NEW = (
    "7. PAYMENT\n"
    "7.1 The buyer pays within 30 days of the invoice:\n"
    "(a) by bank transfer;\n"
    "(b) by card;\n"
    "(c) by cheque.\n"
    "7.2 Late payment bears interest:\n"
    "(i) from the due date;\n"
    "(ii) at the base rate.\n"
    "7.3 Invoices are sent monthly and itemised.\n"
    "7.4 Disputed sums are held in escrow.\n"
    "7.5 They are released on agreement."
)


def _item(kind: ChangeKind, old: tuple[str, ...], new: tuple[str, ...], **kw) -> NestedChange:
    level = max(p.count("(") + p.count(".") for p in old + new)
    return NestedChange(kind=kind, old=old, new=new, level=level, **kw)


def nested_kinds(text: str = "") -> DiffResult:
    """Nested changes of every sort under paths that are not just numbers.

    Clause 7 is reworded: 7.1 reworded with a changed figure; 7.1(b) added, cheque
    renumbered (b) → (c), cash removed; (i) and (ii) of 7.2 swapped (one moved, one
    renumbered); 7.3 + 7.4 merged; 7.5 split; 7.6 moved to Schedule 1 › 2 and reworded (listed
    under the schedule's change, which holds its new place); unchanged items are listed and
    must not be shown. ``¶ 8`` of an unnumbered text and clause 9 (whose items are all
    unchanged) complete it. ``text`` is mixed into paths and texts.
    """
    t = text
    reworded_71 = redline(
        "The buyer pays within 15 days of the invoice:",
        "The buyer pays within 30 days of the invoice:",
    )
    merged = redline(
        "Invoices are sent monthly.\nInvoices are itemised.",
        "Invoices are sent monthly and itemised.",
    )
    split = redline(
        "Disputed sums are held in escrow and released on agreement.",
        "Disputed sums are held in escrow.\nThey are released on agreement.",
    )
    moved = redline(f"Prices are fixed for 12 months.{t}", f"Prices are fixed for 24 months.{t}")
    figure = Substantive(kind=SubstantiveKind.DURATION, old="15 days", new="30 days")
    nested_7 = (
        _item(
            ChangeKind.REWORDED,
            ("7.1",),
            ("7.1",),
            similarity=0.9,
            redline=reworded_71,
            substantive=(figure,),
        ),
        _item(ChangeKind.UNCHANGED, ("7.1(a)",), ("7.1(a)",), similarity=1.0),
        _item(ChangeKind.ADDED, (), (f"7.1(b){t}",)),
        _item(ChangeKind.UNCHANGED, ("7.1(b)",), ("7.1(c)",), renumbered=True, similarity=1.0),
        _item(ChangeKind.REMOVED, ("7.1(c)",), ()),
        _item(ChangeKind.UNCHANGED, ("7.2",), ("7.2",), similarity=1.0),
        _item(
            ChangeKind.UNCHANGED,
            ("7.2(ii)",),
            ("7.2(i)",),
            moved=True,
            renumbered=True,
            similarity=1.0,
        ),
        _item(ChangeKind.UNCHANGED, ("7.2(i)",), ("7.2(ii)",), renumbered=True, similarity=1.0),
        _item(ChangeKind.MERGED, ("7.3", "7.4"), ("7.3",), similarity=0.86, redline=merged),
        _item(
            ChangeKind.SPLIT,
            ("7.5",),
            ("7.4", "7.5"),
            renumbered=True,
            similarity=0.9,
            redline=split,
        ),
    )
    schedule_old = f"Prices are reviewed yearly.{t}"
    schedule_new = f"2. Prices are reviewed yearly.{t}\n2.1 Prices are fixed for 24 months.{t}"
    paragraph = redline(
        f"The fund holds five thousand euros.{t}", f"The fund holds seven thousand euros.{t}"
    )
    clause_9 = (
        "9. NOTICES\n9.1 Notices are written.\n9.2 Notices go by post.",
        "9. NOTICES\n9.1 Notices are written.\n9.2 Notices go by post.\nEmail is not notice.",
    )
    changes = (
        Change(
            kind=ChangeKind.REWORDED,
            old=(
                PointRef(key="p7", number=7, index=1, verbatim=True, text=CLAUSE_7_OLD, path="7"),
            ),
            new=(
                PointRef(key="p7", number=7, index=1, verbatim=True, text=CLAUSE_7_NEW, path="7"),
            ),
            similarity=0.74,
            basis=Basis.AUTOMATIC,
            redline=redline(CLAUSE_7_OLD, CLAUSE_7_NEW),
            substantive=(figure,),
            subitems_changed=("7.1", "(b)", "(c)", "(i)", "(ii)", "7.3", "7.4", "7.5"),
            nested=nested_7,
        ),
        Change(
            kind=ChangeKind.REWORDED,
            old=(PointRef(key="p9", number=9, index=2, verbatim=True, text=clause_9[0], path="9"),),
            new=(PointRef(key="p9", number=9, index=2, verbatim=True, text=clause_9[1], path="9"),),
            similarity=0.9,
            basis=Basis.AUTOMATIC,
            redline=redline(*clause_9),
            subitems_changed=(),
            nested=(
                _item(ChangeKind.UNCHANGED, ("9.1",), ("9.1",), similarity=1.0),
                _item(ChangeKind.UNCHANGED, ("9.2",), ("9.2",), similarity=1.0),
            ),
        ),
        Change(
            kind=ChangeKind.REWORDED,
            old=(
                PointRef(
                    key="s1-2",
                    number=2,
                    index=3,
                    verbatim=True,
                    text=schedule_old,
                    path=f"Schedule 1{t} › 2",
                    heading=(f"SCHEDULE 1{t}",),
                ),
            ),
            new=(
                PointRef(
                    key="s1-2",
                    number=2,
                    index=3,
                    verbatim=True,
                    text=schedule_new,
                    path=f"Schedule 1{t} › 2",
                    heading=(f"SCHEDULE 1{t}",),
                ),
            ),
            similarity=0.6,
            basis=Basis.AUTOMATIC,
            redline=redline(schedule_old, schedule_new),
            substantive=(Substantive(kind=SubstantiveKind.DURATION, old=None, new="24 months"),),
            nested=(
                _item(
                    ChangeKind.REWORDED,
                    ("7.6",),
                    (f"Schedule 1{t} › 2.1",),
                    moved=True,
                    renumbered=True,
                    similarity=0.88,
                    redline=moved,
                    substantive=(
                        Substantive(
                            kind=SubstantiveKind.DURATION, old="12 months", new="24 months"
                        ),
                    ),
                ),
            ),
        ),
        Change(
            kind=ChangeKind.REWORDED,
            old=(
                PointRef(
                    key="para-8",
                    number=None,
                    index=4,
                    verbatim=True,
                    text=paragraph.old_text,
                    path="¶ 8",
                ),
            ),
            new=(
                PointRef(
                    key="para-7",
                    number=None,
                    index=4,
                    verbatim=True,
                    text=paragraph.new_text,
                    path="¶ 7",
                ),
            ),
            similarity=0.8,
            basis=Basis.AUTOMATIC,
            redline=paragraph,
            substantive=(
                Substantive(
                    kind=SubstantiveKind.AMOUNT,
                    old="five thousand euros",
                    new="seven thousand euros",
                ),
            ),
        ),
        Change(
            kind=ChangeKind.UNCHANGED,
            old=(
                PointRef(
                    key="p10",
                    number=10,
                    index=5,
                    verbatim=True,
                    text="10. This contract is governed by Swiss law.",
                    path="10",
                ),
            ),
            new=(
                PointRef(
                    key="p10",
                    number=10,
                    index=5,
                    verbatim=True,
                    text="10. This contract is governed by Swiss law.",
                    path="10",
                ),
            ),
            similarity=1.0,
            basis=Basis.AUTOMATIC,
        ),
    )
    return DiffResult(
        old=version(f"contract-v1{t}", f"Supply contract{t}", known_points=5, declared_points=None),
        new=version(
            "contract-v2",
            f"Supply contract, revised{t}",
            known_points=5,
            derived_from="contract-v1",
        ),
        settings=SETTINGS,
        declared=DeclaredCount(old=None, new=None, old_unaccounted=None, new_unaccounted=None),
        changes=changes,
    )
