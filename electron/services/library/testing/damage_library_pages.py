"""Damages a closed SQLite library file the way a failing disk does: whole pages overwritten.

usage: damage_library_pages.py DB TABLE... | damage_library_pages.py DB --header

For each TABLE, SQLite's own page accounting (the dbstat virtual table, through Python's sqlite3, an
independent build of SQLite) names the table's first leaf page in key order; that page is overwritten
with 0xA5 bytes. Prints JSON {table: {"page": n, "rows": rows on that page, "total": rows in the
table}}. With --header, the 100-byte file header (page 1) is overwritten instead and {} is printed.
"""
import json
import os
import sqlite3
import sys

db, targets = sys.argv[1], sys.argv[2:]
if os.path.exists(db + '-wal') and os.path.getsize(db + '-wal') > 0:
    sys.exit('the library is not closed: its write-ahead log still holds pages')
con = sqlite3.connect(db)
page_size = con.execute('PRAGMA page_size').fetchone()[0]
damage = {}
if targets != ['--header']:
    for table in targets:
        page, rows = con.execute(
            "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path LIMIT 1", (table,)
        ).fetchone()
        total = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        damage[table] = {'page': page, 'rows': rows, 'total': total}
con.close()
with open(db, 'r+b') as f:
    if targets == ['--header']:
        f.write(b'\xa5' * 100)
    for d in damage.values():
        f.seek((d['page'] - 1) * page_size)
        f.write(b'\xa5' * page_size)
print(json.dumps(damage))
