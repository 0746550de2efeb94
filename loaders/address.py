"""A street and a community read out of an address, as hotline tickets and grid workers'
sheets give the place of a demand (广东省深圳市罗湖区桂园街道大塘龙社区松园北街3号).

Only the names are read; the address itself is never stored (it may be a resident's
home). A text holding no community name (桂园街道松园北街3号) gives None: the row then
says it cannot be placed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: province, city and county words in front; then a street (街道, 镇, 乡, 苏木) and the
#: community (社区, 居委会) the rest of the address lies in
_ADDRESS = re.compile(
    r"^(?:.{2,8}?(?:省|自治区))?(?:.{2,10}?(?:市|自治州|地区|盟))?"
    r"(?:.{1,8}?(?:区|县|市|旗))?"
    r"(?P<street>.{2,10}?(?:街道办事处|街道|镇|乡|苏木))?"
    r"(?P<community>[^\d\s,，、]{2,12}?(?:社区居民委员会|社区居委会|居民委员会|社区|居委会))"
    r"(?P<rest>.*)$"
)


class Place(NamedTuple):
    street: str | None
    community: str


def parts(text: str) -> Place | None:
    """The street (if written) and community of an address; None for a text that is a
    community's name already or holds none.

    >>> parts("广东省深圳市罗湖区桂园街道大塘龙社区松园北街3号")
    Place(street='桂园街道', community='大塘龙社区')
    >>> parts("大塘龙社区 3栋"), parts("大塘龙社区"), parts("松园北街3号")
    (Place(street=None, community='大塘龙社区'), None, None)
    """
    compact = "".join(text.split())
    found = _ADDRESS.match(compact)
    if found is None or found["community"] == compact:
        return None
    return Place(found["street"], found["community"])
