"""The front-end files the pages use, found in node_modules/ by name (settings.ZHAOSHANG_VENDOR).

The npm packages ship whole distributions (ECharts alone is 46 MB of builds we do not load); only
the files named here are served, collected by `collectstatic` and packed into the offline bundle, so
collecting and compressing them for production takes seconds, not minutes.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning
from django.core.files.storage import FileSystemStorage


class VendorFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.entries: list[tuple[str, Path, list[str]]] = [
            (prefix, Path(root), list(names)) for prefix, root, names in settings.ZHAOSHANG_VENDOR
        ]
        self.storages: dict[str, FileSystemStorage] = {}
        for prefix, root, _names in self.entries:
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix
            self.storages[prefix] = storage

    def check(self, **kwargs):
        missing = [
            f"{root / name}"
            for _prefix, root, names in self.entries
            for name in names
            if not (root / name).is_file()
        ]
        if not missing:
            return []
        return [
            Warning(
                "front-end files missing (run `make assets`, i.e. npm ci): " + ", ".join(missing[:5]),
                id="zhaoshang.W101",
            )
        ]

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        found = []
        for prefix, root, names in self.entries:
            for name in names:
                if path == f"{prefix}/{name}" and (root / name).is_file():
                    if not find_all:
                        return str(root / name)
                    found.append(str(root / name))
        return found

    def list(self, ignore_patterns):
        for prefix, root, names in self.entries:
            for name in names:
                if (root / name).is_file():
                    yield name, self.storages[prefix]
