"""plandiff: track how negotiated plan texts change from version to version, and who says so.

>>> import plandiff
>>> registry = plandiff.load_registry()          # the bundled registry
>>> result = plandiff.diff(registry.version("us-28"), registry.version("geneva-19"),
...                        registry=registry)
>>> result.declared.old, result.declared.new
(28, 19)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

#: The release, read by the build (``[tool.hatch.version]`` in pyproject.toml) so that it is
#: written in one place: asking the installed metadata instead costs about 40 ms (importing
#: importlib.metadata and scanning site-packages) on every JSON or XML report.
__version__ = "0.1.0"


# Public names resolve lazily (PEP 562) so that `plandiff --help` and light commands do not pay
# for the alignment engine's numeric imports.
_EXPORTS = {
    "diff": "plandiff.engine",
    "diff_texts": "plandiff.texts",
    "version_from_text": "plandiff.texts",
    "PlandiffError": "plandiff.errors",
    "RegistryError": "plandiff.errors",
    "Anchor": "plandiff.models",
    "Completeness": "plandiff.models",
    "Event": "plandiff.models",
    "PlanVersion": "plandiff.models",
    "Point": "plandiff.models",
    "Registry": "plandiff.models",
    "Relation": "plandiff.models",
    "RelationKind": "plandiff.models",
    "Source": "plandiff.models",
    "Statement": "plandiff.models",
    "Basis": "plandiff.result",
    "Change": "plandiff.result",
    "ChangeKind": "plandiff.result",
    "DiffResult": "plandiff.result",
    "NestedChange": "plandiff.result",
    "Redline": "plandiff.result",
    "RedlineOp": "plandiff.result",
    "load_registry": "plandiff.store",
    "segment": "plandiff.segmentation",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'plandiff' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from plandiff.engine import diff
    from plandiff.errors import PlandiffError, RegistryError
    from plandiff.models import (
        Anchor,
        Completeness,
        Event,
        PlanVersion,
        Point,
        Registry,
        Relation,
        RelationKind,
        Source,
        Statement,
    )
    from plandiff.result import (
        Basis,
        Change,
        ChangeKind,
        DiffResult,
        NestedChange,
        Redline,
        RedlineOp,
    )
    from plandiff.segmentation import segment
    from plandiff.store import load_registry
    from plandiff.texts import diff_texts, version_from_text

__all__ = [
    "Anchor",
    "Basis",
    "Change",
    "ChangeKind",
    "Completeness",
    "DiffResult",
    "Event",
    "NestedChange",
    "PlanVersion",
    "PlandiffError",
    "Point",
    "Redline",
    "RedlineOp",
    "Registry",
    "RegistryError",
    "Relation",
    "RelationKind",
    "Source",
    "Statement",
    "__version__",
    "diff",
    "diff_texts",
    "load_registry",
    "segment",
    "version_from_text",
]
