#!/usr/bin/env python3
"""Seeds a libFuzzer corpus for one lkml-review fuzz target from ../shared/corpus.

usage: seed.py TARGET CORPUS_ROOT OUT_DIR

Files are named by the SHA-1 of their content, so seeding twice adds nothing. Nothing is copied
into the repository: the corpus lives under .build-fuzz/corpus/TARGET.
"""
import gzip, hashlib, os, re, sys, zlib

MAX = 65536
target, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
written = 0


def put(data):
    global written
    data = data[:MAX]
    if not data:
        return
    name = os.path.join(out, hashlib.sha1(data).hexdigest())
    if not os.path.exists(name):
        with open(name, "wb") as f:
            f.write(data)
        written += 1


def files(*subdirs):
    for sub in subdirs:
        base = os.path.join(root, sub)
        for dirpath, _, names in os.walk(base):
            for n in sorted(names):
                if n.endswith((".tsv", ".commits", ".md")):
                    continue
                yield os.path.join(dirpath, n)


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except Exception:
            pass
    return data


SEP = re.compile(rb"^From [^\n]*\d\d:\d\d:\d\d[^\n]*$", re.M)


def messages(data):
    """Split an mbox roughly (the seeds need not be exact): (separator line + message) pieces."""
    starts = [m.start() for m in SEP.finditer(data)]
    if not starts:
        return [data]
    starts.append(len(data))
    return [data[a:b] for a, b in zip(starts, starts[1:])]


def strip_from(msg):
    if msg.startswith(b"From "):
        nl = msg.find(b"\n")
        return msg[nl + 1:] if nl >= 0 else b""
    return msg


FEATURES = [
    rb"=\?[^?\s]+\?[bBqQ]\?", rb"(?i)content-type:\s*multipart", rb"(?i)base64", rb"(?i)quoted-printable",
    rb"(?i)format=flowed", rb"(?i)text/html", rb"(?i)x-patch|x-diff|\.patch\"|\.diff\"", rb"\ndiff --git ",
    rb"\n> @@ -", rb"\n>From ", rb"(?i)charset=\"?(iso|windows|koi|gb|big5|shift)", rb"\r\n", rb"(?i)message/rfc822",
    rb"(?i)multipart/alternative", rb"(?i)multipart/signed", rb"\n[A-Z][a-z-]+-by: ",
]
FEATURES = [re.compile(f) for f in FEATURES]


def archive_messages(per_feature, plain):
    """Messages of the list archives under 64 KiB: up to per_feature for each feature, plus
    every k-th plain one."""
    picked = []
    counts = [0] * len(FEATURES)
    for path in sorted(files("lists")):
        if not path.endswith(".mbox"):
            continue
        msgs = messages(read(path))
        k = max(1, len(msgs) // plain) if plain else 0
        for i, m in enumerate(msgs):
            if len(m) > MAX:
                continue
            take = False
            for f, rx in enumerate(FEATURES):
                if counts[f] < per_feature and rx.search(m):
                    counts[f] += 1
                    take = True
            if take or (k and i % k == 0):
                picked.append(m)
    return picked


def fixture_messages():
    for path in files("fixtures", "lists"):
        data = read(path)
        if path.endswith("all.mbox") or "/threads/" in path:
            continue
        for m in messages(data):
            yield m


if target in ("message", "mime"):
    for m in fixture_messages():
        put(strip_from(m))
    per, plain = (40, 0) if target == "mime" else (25, 150)
    for m in archive_messages(per, plain):
        if target == "mime" and not re.search(rb"(?i)content-(type|transfer-encoding):", m):
            continue
        put(strip_from(m))
elif target == "mbox":
    # A selector byte (format, size limit) then a piece of an mbox.
    sel = 0
    for path in files("fixtures", "lists"):
        if path.endswith("all.mbox"):
            continue
        data = read(path)
        msgs = messages(data)
        for i in range(0, len(msgs), 3):
            sel = (sel + 1) % 256
            put(bytes([sel]) + b"".join(msgs[i:i + 3]))
elif target == "gzip":
    for n, m in enumerate(list(fixture_messages())[:200]):
        chunk = (n * 37) % 256
        put(bytes([1 | (n & 2), chunk]) + m[:4096])                      # round trip
        put(bytes([0, chunk]) + gzip.compress(m[:16384], mtime=0))    # decode
        if n % 4 == 0:
            put(bytes([0, chunk]) + zlib.compress(m[:8192]))
            put(bytes([0, chunk]) + gzip.compress(m[:2000]) + gzip.compress(m[2000:4000]))
            put(bytes([0, chunk]) + gzip.compress(m[:2000])[:-5])        # truncated
    for path in files("fixtures"):
        if path.endswith(".gz"):
            with open(path, "rb") as f:
                put(bytes([0, 255]) + f.read())
    put(bytes([0, 255]) + gzip.compress(b"\0" * 1_000_000))               # bomb past the cap
elif target == "patch":
    for m in fixture_messages():
        if re.search(rb"\n(diff --git |--- |@@ -)", m):
            put(strip_from(m))
    for m in archive_messages(30, 120):
        if re.search(rb"\n(diff --git |@@ -)", m):
            body = strip_from(m)
            put(body)
            # patch NUL pre-image-ish content: the patch's own context lines
            ctx = b"\n".join(l[1:] for l in body.split(b"\n") if l[:1] in (b" ", b"-") and not l.startswith(b"---"))
            if ctx:
                put(body + b"\0" + ctx + b"\n")
elif target == "lore":
    ids = set()
    for m in fixture_messages():
        for rx in (rb"(?im)^message-id:\s*(<[^>\n]*>)", rb"(?im)^in-reply-to:\s*([^\n]*)"):
            for x in re.findall(rx, m):
                ids.add(x.strip())
    for i, x in enumerate(sorted(ids)):
        bare = x.strip(b"<>")
        put(x)
        if i % 3 == 0:
            put(b"id:" + bare)
            put(b"https://lore.kernel.org/linux-fpga/" + bare + b"/T/#u")
            put(b"https://lore.kernel.org/r/" + bare.replace(b"@", b"%40") + b"/t.mbox.gz")
            put(b"mid:" + bare.replace(b"@", b"%40"))
            put(b"https://lore.kernel.org/all/%s\n" + bare)
    put(b"<../../../etc/passwd>")
    put(b"https://lore.kernel.org/all/..%2F..%2Fx@y/raw")
    for path in list(files("fixtures"))[:40]:
        data = read(path)
        if data.startswith(b"From "):
            put(data[:8192])
elif target == "review":
    # Reply bodies with quoted diffs; also "body NUL original patch" from the same thread.
    def body(m):
        m = strip_from(m)
        i = m.find(b"\n\n")
        return m[i + 2:] if i >= 0 else m
    for path in files("lists"):
        if not (path.endswith(".mbox") and "/threads/" in path) and not path.endswith(".eml"):
            continue
        msgs = messages(read(path))
        patch = next((body(m) for m in msgs if b"\ndiff --git " in m and not re.search(rb"(?im)^subject:\s*re:", m)), None)
        for m in msgs:
            if re.search(rb"\n>+ ?(@@ -|diff --git|\+\+\+ b/)", m):
                put(body(m))
                if patch:
                    put(body(m)[:MAX // 2] + b"\0" + patch[:MAX // 2])
    for path in ("Samples/vfio-ap-lockdep-review.eml",):
        if os.path.exists(path):
            put(body(read(path)))
elif target == "rules":
    # C from patches: the post-image (context and added lines) and pre-image of each hunk run,
    # whole patches (hunk mode), and the sample tree file with its patch (tree mode).
    for m in archive_messages(30, 200) + list(fixture_messages()):
        if b"\n@@ -" not in m or not re.search(rb"\n\+\+\+ b/\S+\.[ch]\b", m):
            continue
        body = strip_from(m)
        lines = body.split(b"\n")
        post = b"\n".join(l[1:] for l in lines if l[:1] in (b" ", b"+") and not l.startswith(b"+++"))
        pre = b"\n".join(l[1:] for l in lines if l[:1] in (b" ", b"-") and not l.startswith(b"---"))
        put(post)
        put(pre)
        put(body)
    tree = "Samples/tree/drivers/iio/adc/acme-adc.c"
    if os.path.exists(tree):
        src = read(tree)
        put(src)
        sample = read("Samples/acme-adc-runtime-pm-thread.mbox")
        for m in messages(sample):
            if b"\n@@ -" in m:
                put(src + b"\0" + strip_from(m))
elif target == "report":
    for path in files("fixtures", "lists"):
        if path.endswith("all.mbox"):
            continue
        msgs = messages(read(path))
        for i in range(0, len(msgs), 3):
            put(b"".join(msgs[i:i + 3]))
    for path in ("Samples/acme-adc-runtime-pm-thread.mbox", "Samples/vfio-ap-lockdep-review.eml"):
        if os.path.exists(path):
            put(read(path))
else:
    sys.exit(f"seed.py: no seeds known for target {target}")

print(f"seed: {written} new inputs for {target} in {out}")
