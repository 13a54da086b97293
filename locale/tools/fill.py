"""Fill a .po catalog from a {msgid: translation} dict and compile it.

Usage: python locale/tools/fill.py CATALOG.po MODULE   (MODULE defines ZH)
"""

import importlib.util
import subprocess
import sys

import polib

po_path, module_path = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("t", module_path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
po = polib.pofile(po_path)
missing = []
for entry in po:
    value = module.ZH.get(entry.msgid)
    if value is None:
        missing.append(entry.msgid)
        continue
    if entry.msgid_plural:
        forms = value if isinstance(value, list) else [value]
        entry.msgstr_plural = {i: f for i, f in enumerate(forms)}
    else:
        entry.msgstr = value
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
po.metadata["Language"] = "zh_Hans"
po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
po.save()
subprocess.run(["msgfmt", "--check", "-o", po_path[:-3] + ".mo", po_path], check=True)
print(f"{len(po) - len(missing)} translated, {len(missing)} missing")
for m in missing:
    print("MISSING:", repr(m))
