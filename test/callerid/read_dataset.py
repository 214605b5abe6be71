"""Independent reader for amo-callerid files (struct + sqlite3 only), used by the tests.

usage: read_dataset.py crmi FILE | crmd FILE | sqlite FILE
Prints number<TAB>label lines (crmd: "-number" lines, then "+number<TAB>label" lines).
"""
import sqlite3
import struct
import sys


def labels(buf, off):
    (n,) = struct.unpack_from("<I", buf, off)
    off += 4
    out = []
    for _ in range(n):
        (ln,) = struct.unpack_from("<H", buf, off)
        off += 2
        out.append(buf[off:off + ln].decode("utf-8"))
        off += ln
    assert off == len(buf), "trailing bytes after label table"
    return out


def crmi(buf):
    magic, version, count, labels_off, reserved = struct.unpack_from("<4sIQQQ", buf, 0)
    assert magic == b"CRMI" and version == 1 and reserved == 0
    assert labels_off == 32 + count * 12
    numbers = struct.unpack_from("<%dq" % count, buf, 32)
    idx = struct.unpack_from("<%dI" % count, buf, 32 + count * 8)
    table = labels(buf, labels_off)
    assert len(set(table)) == len(table), "labels not deduplicated"
    for n, i in zip(numbers, idx):
        print("%d\t%s" % (n, table[i]))


def crmd(buf):
    magic, version, nrem, nadd, labels_off, reserved = struct.unpack_from("<4sIQQQQ", buf, 0)
    assert magic == b"CRMD" and version == 1 and reserved == 0
    assert labels_off == 40 + nrem * 8 + nadd * 12
    rem = struct.unpack_from("<%dq" % nrem, buf, 40)
    add = struct.unpack_from("<%dq" % nadd, buf, 40 + nrem * 8)
    idx = struct.unpack_from("<%dI" % nadd, buf, 40 + nrem * 8 + nadd * 8)
    table = labels(buf, labels_off)
    for n in rem:
        print("-%d" % n)
    for n, i in zip(add, idx):
        print("+%d\t%s" % (n, table[i]))


def sqlite(path):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN SELECT e164 FROM entries WHERE suffix = '9990000001'"))
    assert "entries_suffix" in plan, plan
    for e164, nsn, suffix, label in db.execute("SELECT e164, nsn, suffix, label FROM entries ORDER BY rowid"):
        assert str(e164).endswith(nsn) and suffix == nsn[-10:], (e164, nsn, suffix)
        print("%d\t%s" % (e164, label))


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "sqlite":
        sqlite(path)
    else:
        with open(path, "rb") as f:
            data = f.read()
        {"crmi": crmi, "crmd": crmd}[kind](data)
