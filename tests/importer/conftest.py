"""Shared pieces of the importer's tests: the hand-written exports, a copy of an uploads folder with
real photos in it, the subjects a desk has before it moves in, and running the command."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

EXPORTS = Path(__file__).resolve().parent / "exports"


def photo(path, size=(1000, 700), color=(40, 90, 140)):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "JPEG")
    return path


@pytest.fixture
def uploads(tmp_path):
    """A copy of wp-content/uploads: the featured image of post 101 and the original of a resized body
    image are there; the featured image of post 102 and one body image are not."""
    root = tmp_path / "uploads"
    photo(root / "2024/03/lithium.jpg")
    photo(root / "2023/11/pit.jpg", size=(1600, 1200))
    return root


@pytest.fixture
def subjects(db):
    """The minerals and countries the desk already tags with."""
    from articles.models import Country, Mineral  # conftest modules load before Django's apps

    return {
        "lithium": Mineral.objects.create(name="Lithium", symbol="Li", aliases="white gold, 锂"),
        "chile": Country.objects.create(name="Chile", iso_code="CL"),
    }


def run_import(*args, export="desk.xml"):
    """Run import_wordpress on a file of tests/importer/exports (or a path); returns its printed report."""
    out = io.StringIO()
    path = export if isinstance(export, Path) else EXPORTS / export
    call_command("import_wordpress", str(path), *args, stdout=out)
    return out.getvalue()


def edited_copy(tmp_path, *replacements, name="edited.xml"):
    """The desk's export with some text replaced, as a later export of the same site would be."""
    text = (EXPORTS / "desk.xml").read_text()
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path
