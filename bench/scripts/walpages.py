#!/usr/bin/env python3
"""Pages a commit writes, by table and index: reads the frames of a copied
SQLite WAL (its valid part: frames with the header's salts) and names each
frame's page by the b-tree that owns it now (SQLite's dbstat table).

    walpages.py DIR    # DIR holds yici.db and yici.db-wal, copied together
"""
import collections
import sqlite3
import struct
import sys

d = sys.argv[1].rstrip("/") + "/"
wal = open(d + "yici.db-wal", "rb").read()
_magic, _version, page_size, _seq, salt1, salt2 = struct.unpack(">6I", wal[:24])
frames, at = [], 32
while at + 24 + page_size <= len(wal):
    page, size_after, s1, s2 = struct.unpack(">4I", wal[at : at + 16])
    if (s1, s2) != (salt1, salt2):
        break
    frames.append((page, size_after))
    at += 24 + page_size
commits = sum(1 for _, size in frames if size)
print(f"page size {page_size}, {len(frames)} frames, {commits} commits, "
      f"{len(frames) / max(1, commits):.1f} pages a commit")
owner = dict((page, name) for name, page in
             sqlite3.connect(d + "yici.db").execute("SELECT name, pageno FROM dbstat"))
count = collections.Counter(owner.get(page, "?") for page, _ in frames)
for name, n in count.most_common():
    print(f"{n / max(1, commits):7.2f}  {name}")
