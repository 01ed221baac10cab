"""Build the offline bundle (`make bundle`): one .tar.gz with everything an installation needs.

    dist/zhaoshang-VERSION-offline.tar.gz
      install.sh                 the installer (deploy/bundle/install.sh)
      requirements.lock          runtime dependencies, hash pinned (deploy/requirements-runtime.lock)
      wheels/zhaoshang-*.whl     the application (with the national division data, templates, locale)
      wheels/<arch>/*.whl        every dependency as a wheel for that machine (x86_64, aarch64 …)
      assets/node_modules/…      the front-end files the pages load (settings.ZHAOSHANG_VENDOR)
      deploy/                    nginx, systemd, logrotate, gunicorn, compose files
      FONTS.md                   the free CJK fonts for PDF reports and where to get them offline
      SHA256SUMS                 every file's checksum

Wheels are downloaded with `pip download --only-binary=:all: --platform …` into var/bundle/ (kept:
the next build downloads nothing new) and checked against the lock's hashes.

    python scripts/make-bundle.py [--arch x86_64 --arch aarch64] [--python-version 3.11] [-o DIR]
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "var" / "bundle"
PLATFORMS = {
    # Debian 12 has glibc 2.36, Kylin V10 / UOS 2.28; manylinux2014 (glibc 2.17) wheels fit both.
    "x86_64": [
        "manylinux_2_36_x86_64",
        "manylinux_2_28_x86_64",
        "manylinux_2_17_x86_64",
        "manylinux2014_x86_64",
    ],
    "aarch64": [
        "manylinux_2_36_aarch64",
        "manylinux_2_28_aarch64",
        "manylinux_2_17_aarch64",
        "manylinux2014_aarch64",
    ],
}

FONTS = """# 中文字体(PDF 报告)

PDF 版报告(WeasyPrint)需要系统中安装免费的中文字体 Noto Sans CJK / Noto Serif CJK(SIL Open Font
License 1.1),以及 Pango 库。Debian 12 / 麒麟 / 统信的安装光盘或内网镜像中都有:

    apt-get install fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

没有内网镜像时,在一台能上网的同版本机器上执行
`apt-get download fonts-noto-cjk fonts-noto-core`,把得到的 .deb 文件拷到本机后
`dpkg -i fonts-noto-*.deb`。没有字体时,其他格式(Word、Excel、Markdown)的报告照常生成,PDF 导出会提示缺少什么。

nginx 同样来自系统光盘或镜像:`apt-get install nginx-light`。
"""


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, **kwargs)


def download_wheels(arch: str, python_version: str) -> Path:
    target = CACHE / f"wheels-{arch}-py{python_version}"
    target.mkdir(parents=True, exist_ok=True)
    abi = "cp" + python_version.replace(".", "")
    platforms = [arg for p in PLATFORMS[arch] for arg in ("--platform", p)]
    run(
        sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check",
        "--require-hashes", "--no-deps", "--only-binary=:all:", *platforms,
        "--python-version", python_version, "--implementation", "cp",
        "--abi", abi, "--abi", "abi3", "--abi", "none",
        "-d", target, "-r", REPO / "deploy" / "requirements-runtime.lock",
    )  # fmt: skip
    return target


def vendor_files() -> list[tuple[Path, Path]]:
    """(source, path under assets/node_modules) for each front-end file the pages load."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhaoshang.settings")
    sys.path.insert(0, str(REPO / "src"))
    from django.conf import settings

    node = REPO / "node_modules"
    files = []
    for _prefix, root, names in settings.ZHAOSHANG_VENDOR:
        for name in names:
            source = Path(root) / name
            if not source.is_file():
                sys.exit(f"make-bundle: {source} is missing: run `make assets` (npm ci) first")
            files.append((source, source.relative_to(node)))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", action="append", choices=sorted(PLATFORMS))
    parser.add_argument("--python-version", default="3.11")
    parser.add_argument("-o", "--output", type=Path, default=REPO / "dist")
    options = parser.parse_args()
    arches = options.arch or ["x86_64"]
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    name = f"zhaoshang-{version}-offline"
    stage = CACHE / name
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "wheels").mkdir(parents=True)

    run(sys.executable, "-m", "pip", "wheel", "-q", "--disable-pip-version-check", "--no-deps",
        "-w", stage / "wheels", REPO)  # fmt: skip
    for arch in arches:
        shutil.copytree(download_wheels(arch, options.python_version), stage / "wheels" / arch)
    shutil.copy(REPO / "deploy" / "requirements-runtime.lock", stage / "requirements.lock")
    shutil.copy(REPO / "deploy" / "bundle" / "install.sh", stage / "install.sh")
    shutil.copytree(REPO / "deploy", stage / "deploy", ignore=shutil.ignore_patterns("bundle", "__pycache__"))
    for source, relative in vendor_files():
        target = stage / "assets" / "node_modules" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, target)
    (stage / "FONTS.md").write_text(FONTS, encoding="utf-8")

    sums = []
    for path in sorted(p for p in stage.rglob("*") if p.is_file()):
        sums.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(stage)}")
    (stage / "SHA256SUMS").write_text("\n".join(sums) + "\n")

    options.output.mkdir(parents=True, exist_ok=True)
    archive = options.output / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(stage, arcname=name)
    print(f"make-bundle: {archive} ({archive.stat().st_size // (1024 * 1024)} MB, {', '.join(arches)})")


if __name__ == "__main__":
    main()
