#!/bin/sh
# Regenerates tests/fixtures/office/ from the hand-written sheets in tests/fixtures/office/source/
# (flat OpenDocument, .fods) with LibreOffice, so that the import tests read files written by a real
# office program rather than by openpyxl. Needs soffice (Debian: apt-get install -y
# --no-install-recommends libreoffice-calc); the tests themselves only read the committed files.
#
# CSV filter options are "separator,quote,character set" (ASCII codes; the character set as
# LibreOffice's rtl_TextEncoding number): 85 is GB18030, 76 UTF-8, 65535 UTF-16 ("Unicode", written
# little-endian with its byte-order mark, as Excel's "Unicode 文本" is).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/tests/fixtures/office"
src="$out/source"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

convert() { # convert FORMAT SOURCE TARGET
    soffice --headless -env:UserInstallation="file://$work/profile" \
        --convert-to "$1" --outdir "$work/out" "$src/$2" >/dev/null
    mv "$work/out/"* "$out/$3"
}

convert xlsx projects.fods projects.xlsx
convert xls projects.fods projects.xls # "MS Excel 97" (BIFF8), the .xls that WPS writes
convert 'csv:Text - txt - csv (StarCalc):44,34,85' projects.fods projects-gb18030.csv
convert 'csv:Text - txt - csv (StarCalc):44,34,76' projects.fods projects-utf8.csv
convert 'txt:Text - txt - csv (StarCalc):9,34,65535' projects.fods projects-utf16.csv
# Excel's "CSV UTF-8" starts with a byte-order mark; LibreOffice 7.4 writes none, so one is added.
{ printf '\357\273\277'; cat "$out/projects-utf8.csv"; } >"$out/projects-utf8-bom.csv"
rm "$out/projects-utf8.csv"
convert xlsx projects-merged.fods projects-merged.xlsx
convert xls projects-merged.fods projects-merged.xls
convert xls units.fods units.xls

soffice --version | head -n 1
