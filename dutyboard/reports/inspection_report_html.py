"""The HTML page of the inspection report: one self-contained file (inline CSS) that prints on A4.

Kept as a Python module rather than a loose .html file so it ships with the package however it
is installed. `PAGE` is a string.Template; every substituted value is escaped by the caller.
"""

from __future__ import annotations

from string import Template

STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body {
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "Helvetica Neue", Arial, sans-serif;
  font-size: 10.5pt; line-height: 1.45; color: #111; background: #fff;
  max-width: 190mm; margin: 0 auto; padding: 8mm 6mm;
}
header { border-bottom: 2px solid #1f4e79; margin-bottom: 4mm; }
h1 { font-size: 18pt; margin: 0 0 1mm 0; color: #1f4e79; letter-spacing: 0.05em; }
.subtitle { margin: 0 0 2mm 0; color: #444; }
.draft { border: 2px solid #b00; color: #b00; font-weight: bold; padding: 1mm 3mm;
  display: inline-block; margin: 1mm 0 3mm 0; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm 0; color: #1f4e79; border-bottom: 1px solid #c8d3e0;
  page-break-after: avoid; break-after: avoid; }
table { width: 100%; border-collapse: collapse; margin: 0 0 2mm 0; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 1px solid #9aa5b1; padding: 1.2mm 2mm; vertical-align: top; text-align: left; }
th { background: #eef2f7; font-weight: 600; }
table.facts th { width: 32%; }
td.value, td.range { white-space: nowrap; }
tr.finding td { background: #fdecec; }
tr.finding td.verdict { color: #a00; font-weight: bold; }
td.verdict { white-space: nowrap; }
.key { color: #666; font-size: 8.5pt; display: block; }
.none { color: #666; font-style: italic; }
.record dt { font-weight: 600; margin-top: 2mm; }
.record dd { margin: 0.5mm 0 0 0; white-space: pre-wrap; }
.signatures { display: flex; gap: 12mm; margin-top: 12mm; page-break-inside: avoid;
  break-inside: avoid; }
.signatures div { flex: 1; border-top: 1px solid #333; padding-top: 1mm; }
footer { margin-top: 8mm; color: #666; font-size: 8.5pt; border-top: 1px solid #ccc;
  padding-top: 1mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h1 { color: #000; }
  h2 { color: #000; }
  th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  tr.finding td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""

PAGE = Template(
    """<!DOCTYPE html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$style</style>
</head>
<body>
<header>
<h1>$title</h1>
<p class="subtitle">$subtitle</p>
$draft
</header>
$body
<footer>$footer</footer>
</body>
</html>
"""
)
