"""Text that every output format can carry."""

import re

# C0 control characters other than tab, line feed and carriage return, and the two non-characters
# XML 1.0 forbids: an XML document (a feed, a sitemap) cannot contain them at all.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    """`value` without the characters XML 1.0 cannot carry; lists and tuples are cleaned item by item."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe(item) for item in value)
    return value
