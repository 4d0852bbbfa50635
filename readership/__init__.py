"""Readership: read counts from beacons on cached pages, daily rollups, the editors' readership page and
"Most read". No identifier of a reader is ever stored; docs/readership.md explains the design."""
