"""Synthetic patent stocks for examples, tests and the README's first command.

``make_patents`` draws a plausible Chongqing municipal stock in canonical form; ``to_cn_export``
writes it the way a Chinese patent database exports it (the ``cn-export`` profile);
``make_claims_texts`` gives Chinese claims texts with known structure. Every record is synthetic.
"""

from hvpscore.datasets._claims_api import make_claims_texts
from hvpscore.datasets._export import to_cn_export
from hvpscore.datasets._generator import cn_check_digit, format_cn_application, make_patents
from hvpscore.datasets._proportions import (
    CONDITIONAL,
    INTENDED,
    PLEDGE_THRESHOLD_CNY,
    PROPORTIONS,
    SOURCES,
)
from hvpscore.datasets._vocab import non_sei_ipc_codes, sei_ipc_codes

__all__ = [
    "CONDITIONAL",
    "INTENDED",
    "PLEDGE_THRESHOLD_CNY",
    "PROPORTIONS",
    "SOURCES",
    "cn_check_digit",
    "format_cn_application",
    "make_claims_texts",
    "make_patents",
    "non_sei_ipc_codes",
    "sei_ipc_codes",
    "to_cn_export",
]
