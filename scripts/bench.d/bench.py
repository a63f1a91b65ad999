#!/usr/bin/env python3
"""The lkml-review benchmark driver (run it through scripts/bench, which installs and builds).

Every measured command is a child process; its wall time comes from a monotonic clock around
spawn..reap, its CPU time (user+sys) and peak RSS from os.wait4's rusage. Each command of a row
runs once untimed (warm page cache), then N timed runs are interleaved across the commands of the
row, so background load spreads over all of them alike; the table shows medians. Ratios compare
medians measured in the same run.

A row whose lkml-review command does not exist yet (the subcommand is missing from `--help`, or
the command fails on the input) prints "skipped: <why>" instead of failing the run.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
MBOX_REL = os.path.join("lists", "linux-fpga.vger.kernel.org.0", "all.mbox")
SEED = os.path.join(ROOT, "Samples", "vfio-ap-lockdep-review.eml")


# ---------------------------------------------------------------------------------------------
# measuring


class Sample:
    __slots__ = ("wall", "cpu", "rss_kb", "rc", "out")

    def __init__(self, wall, cpu, rss_kb, rc, out):
        self.wall, self.cpu, self.rss_kb, self.rc, self.out = wall, cpu, rss_kb, rc, out


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(argv, capture=False, cwd=None, stdin=None):
    """Spawns argv, returns a Sample (wall s, user+sys s, peak RSS KiB, exit code, stdout).

    Peak RSS: Linux carries a process's high-water RSS across exec, and Python spawns children
    with vfork, so a child's own ru_maxrss would start at this Python's RSS (~20 MB). GNU time forks
    from a ~2 MB process, so its %M is the child's real peak; without it the figure is an upper
    bound. Wall time is this process's clock around spawn..reap; CPU comes from wait4's rusage
    (which includes the reaped grandchild's time)."""
    stdout = subprocess.PIPE if capture else subprocess.DEVNULL
    rss_file = None
    full = argv
    if TIME:
        fd, rss_file = tempfile.mkstemp(prefix="bench-time-")
        os.close(fd)
        full = [TIME, "-q", "-f", "%M", "-o", rss_file] + list(argv)
    t0 = time.perf_counter()
    p = subprocess.Popen(full, stdout=stdout, stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
                         stdin=stdin if stdin is not None else subprocess.DEVNULL, cwd=cwd)
    out = b""
    if capture:
        # Read before reaping so a large output cannot block the child.
        out, _err = p.stdout.read(), p.stderr.read()
    _pid, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if capture:
        p.stdout.close()
        p.stderr.close()
    rss = ru.ru_maxrss
    if rss_file:
        try:
            with open(rss_file) as f:
                nums = [l.strip() for l in f if l.strip().isdigit()]
            if nums:
                rss = int(nums[-1])
        finally:
            os.unlink(rss_file)
    return Sample(wall, ru.ru_utime + ru.ru_stime, rss, p.returncode, out)


class Cmd:
    """One measured command. `setup`/`teardown` run untimed around each run (e.g. an empty output
    directory for git mailsplit); `ok` decides whether an exit code is a success."""

    def __init__(self, label, argv, setup=None, teardown=None, ok=lambda rc: rc == 0, capture=False):
        self.label, self.argv, self.setup, self.teardown, self.ok, self.capture = label, argv, setup, teardown, ok, capture
        self.samples = []
        self.error = None

    def argv_now(self):
        return self.argv() if callable(self.argv) else self.argv

    def one(self):
        if self.setup:
            self.setup()
        try:
            s = run_once(self.argv_now(), capture=self.capture)
        finally:
            if self.teardown:
                self.teardown()
        if not self.ok(s.rc):
            raise RuntimeError(f"{self.label}: exit code {s.rc}")
        return s

    def med(self, field):
        return statistics.median(getattr(s, field) for s in self.samples)


def measure(cmds, runs):
    """Warm-up once each, then `runs` rounds, each round running every command once."""
    live = []
    for c in cmds:
        try:
            c.one()
            live.append(c)
        except Exception as e:  # noqa: BLE001 - any failure skips the command, with the reason
            c.error = str(e)
    for _ in range(runs):
        for c in live:
            c.samples.append(c.one())
    return live


# ---------------------------------------------------------------------------------------------
# the lkml-review binary: which subcommands exist


class Binary:
    def __init__(self, path):
        self.path = path
        self._help = {}

    def help(self, *sub):
        if sub not in self._help:
            r = subprocess.run([self.path, *sub, "--help"], capture_output=True, text=True)
            self._help[sub] = (r.stdout + r.stderr) if r.returncode == 0 else ""
        return self._help[sub]

    def subcommands(self):
        text = self.help()
        m = re.search(r"SUBCOMMANDS:\n(.*?)(\n\S|\Z)", text, re.S)
        if not m:
            return set()
        return {line.split()[0] for line in m.group(1).splitlines() if line.strip()}


# ---------------------------------------------------------------------------------------------
# output


def fmt_s(s):
    if s is None:
        return "-"
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def fmt_mb(kb):
    return f"{kb / 1024:.1f} MB"


class Table:
    def __init__(self):
        self.rows = []      # (row, tool, wall, cpu, rss, throughput)
        self.verdicts = []  # (target, measured, met)
        self.notes = []

    def add(self, row, c, throughput=""):
        self.rows.append((row, c.label, fmt_s(c.med("wall")), fmt_s(c.med("cpu")), fmt_mb(c.med("rss_kb")), throughput))

    def add_plain(self, row, tool, wall="-", cpu="-", rss="-", throughput=""):
        self.rows.append((row, tool, wall, cpu, rss, throughput))

    def verdict(self, target, measured, met):
        self.verdicts.append((target, measured, "met" if met else ("MISSED" if met is not None else "skipped")))

    def skip(self, row, why):
        self.rows.append((row, f"skipped: {why}", "", "", "", ""))
        print(f"[{row}] skipped: {why}", file=sys.stderr)

    def render(self):
        head = ("row", "command", "wall (median)", "CPU user+sys", "peak RSS", "throughput")
        out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        for r in self.rows:
            out.append("| " + " | ".join(x.replace("|", "\\|") for x in r) + " |")
        out.append("")
        out.append("| target | measured | |")
        out.append("|---|---|---|")
        for t, m, v in self.verdicts:
            out.append(f"| {t} | {m} | {v} |")
        if self.notes:
            out.append("")
            out += [f"- {n}" for n in self.notes]
        return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# rows


def row_parse(args, b, mbox, t, results):
    row = "parse"
    if "parse" not in b.subcommands():
        t.skip(row, "no `parse` subcommand")
        return
    size = os.path.getsize(mbox)
    split_dir = {}

    def mk():
        split_dir["d"] = tempfile.mkdtemp(prefix="bench-mailsplit-")

    def rm():
        shutil.rmtree(split_dir.pop("d"), ignore_errors=True)

    cmds = [
        Cmd("lkml-review parse --summary", [b.path, "parse", "--summary", mbox]),
        Cmd("git mailsplit --mboxrd", lambda: ["git", "mailsplit", "--mboxrd", "-o" + split_dir["d"], mbox], setup=mk, teardown=rm),
        Cmd("python3 mailbox+email (policy.default)", [sys.executable, os.path.join(HERE, "py_parse.py"), mbox]),
        Cmd("wc -l", ["wc", "-l", mbox]),
    ]
    if shutil.which("git") is None:
        cmds.pop(1)
    if args.baseline:
        cmds.insert(1, Cmd("baseline: " + os.path.basename(args.baseline) + " parse --summary",
                           [os.path.abspath(args.baseline), "parse", "--summary", mbox]))
    # One captured run for the message count.
    s = run_once([b.path, "parse", "--summary", mbox], capture=True)
    last = s.out.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    m = re.match(r"(\d+) message", last[0])
    count = int(m.group(1)) if m else None
    results["messages"] = count
    live = measure(cmds, args.runs)
    for c in cmds:
        if c.error:
            t.skip(row, c.error)
    byl = {c.label: c for c in live}
    ours = byl.get("lkml-review parse --summary")
    if not ours:
        return
    for c in live:
        w = c.med("wall")
        tp = f"{size / w / 1e6:.0f} MB/s"
        if c is ours and count:
            tp += f", {count / w:,.0f} msg/s"
        t.add(row, c, tp)
    w = ours.med("wall")
    cpu = ours.med("cpu")
    base = [c for c in live if c.label.startswith("baseline: ")]
    if base:
        t.notes.append(f"baseline binary: wall {base[0].med('wall') / w:.2f}×, CPU {base[0].med('cpu') / cpu:.2f}× the time of this build")
    results["parse"] = {c.label: {"wall": c.med("wall"), "cpu": c.med("cpu"), "rss_kb": c.med("rss_kb")} for c in live}
    if "git mailsplit --mboxrd" in byl:
        ms = byl["git mailsplit --mboxrd"]
        r = w / ms.med("wall")
        t.verdict("parse ≤ 1.0× git mailsplit (wall)", f"{r:.2f}× (CPU {cpu / ms.med('cpu'):.2f}×)", r <= 1.0)
    else:
        t.verdict("parse ≤ 1.0× git mailsplit (wall)", "git missing", None)
    py = byl.get("python3 mailbox+email (policy.default)")
    if py:
        r = py.med("wall") / w
        t.verdict("parse ≥ 20× faster than Python email", f"{r:.1f}× faster (CPU {py.med('cpu') / cpu:.1f}×)", r >= 20)
    wc = byl.get("wc -l")
    if wc:
        r = w / wc.med("wall")
        t.verdict("parse within 8× of wc -l (wall)", f"{r:.1f}× (CPU {cpu / max(wc.med('cpu'), 1e-3):.1f}×)", r <= 8)
    rss = ours.med("rss_kb") / 1024
    t.verdict("parse peak RSS < 64 MB", f"{rss:.1f} MB", rss < 64)
    t.notes.append(f"parse input: {mbox} ({size / 1e6:.1f} MB, {count} messages); lkml-review's "
                   "stdout goes to /dev/null; git mailsplit writes one file per message into an empty "
                   "temporary directory (emptied between runs, untimed).")


def find_review_command(b, mbox):
    subs = b.subcommands()
    for name in ("remarks", "review-remarks", "extract"):
        if name in subs:
            h = b.help(name)
            argv = [b.path, name]
            if "--summary" in h:
                argv.append("--summary")
            return argv + [mbox], None
    if "review" in subs:
        h = b.help("review")
        for flag in ("--remarks-only", "--remarks"):
            if flag in h:
                return [b.path, "review", flag, mbox], None
    return None, ("no bulk remark extraction command yet: needs e.g. `lkml-review remarks FILE.mbox` "
                  "(every reply split into quote structure and remarks attached, one line per reply)")


def row_review(args, b, mbox, t, results):
    row = "review"
    argv, why = find_review_command(b, mbox)
    if argv is None:
        t.skip(row, why)
        t.verdict("review ≥ 10× b4 0.16 extraction throughput", "no command", None)
        return
    cmds = [Cmd("lkml-review " + " ".join(argv[1:-1]), argv, ok=lambda rc: rc in (0, 1)),
            Cmd("lkml-review parse --summary (baseline)", [b.path, "parse", "--summary", mbox])]
    # b4's function splits a reply and finds its comments; it does not look up and align with the
    # original patch. When the command can skip that, measure the same work as b4 too.
    fair = None
    if argv[1] == "remarks" and "--no-align" in b.help("remarks"):
        extra = ["--no-align"] + (["--replies-only"] if "--replies-only" in b.help("remarks") else [])
        fair = Cmd("lkml-review remarks " + " ".join(extra) + " (b4's work)", argv[:2] + extra + argv[2:], ok=lambda rc: rc in (0, 1))
        cmds.append(fair)
    b4 = None
    if args.b4_python:
        b4 = Cmd("b4 0.16 _extract_comments_from_quoted_reply", [args.b4_python, os.path.join(HERE, "b4_review.py"), mbox, "1"], capture=True)
        cmds.append(b4)
    live = measure(cmds, args.runs)
    for c in cmds:
        if c.error:
            t.skip(row, c.error)
    byl = {c.label: c for c in live}
    ours = byl.get(cmds[0].label)
    base = byl.get(cmds[1].label)
    if not ours:
        t.verdict("review ≥ 10× b4 0.16 extraction throughput", "command failed", None)
        return
    replies = None
    b4_rate = None
    if b4 in live:
        secs = [json.loads(s.out.decode().strip().splitlines()[-1]) for s in b4.samples]
        replies = secs[0]["replies"]
        b4_t = statistics.median(x["seconds"] for x in secs)
        b4_rate = replies / b4_t
        t.add_plain(row, b4.label + " (timed loop only, bodies pre-decoded)", fmt_s(b4_t), "-", fmt_mb(b4.med("rss_kb")),
                    f"{b4_rate:,.0f} replies/s ({replies} replies, {secs[0]['comments']} comments)")
    n = replies or results.get("messages")
    unit = "replies/s" if replies else "msg/s"
    w = ours.med("wall")
    t.add(row, ours, f"{n / w:,.0f} {unit} (whole process: read, parse, extract)")
    if base:
        t.add(row, base, "")
        extra = w - base.med("wall")
        if extra > 0:
            t.add_plain(row, "lkml-review extraction only (difference of the two)", fmt_s(extra), fmt_s(ours.med("cpu") - base.med("cpu")),
                        "-", f"{n / extra:,.0f} {unit}")
    if fair in live and base:
        fw = fair.med("wall")
        t.add(row, fair, f"{n / fw:,.0f} {unit} (whole process)")
        if fw > base.med("wall"):
            t.add_plain(row, "lkml-review extraction only, b4's work (difference)", fmt_s(fw - base.med("wall")),
                        fmt_s(fair.med("cpu") - base.med("cpu")), "-", f"{n / (fw - base.med('wall')):,.0f} {unit}")
            if b4_rate:
                r = (n / (fw - base.med("wall"))) / b4_rate
                t.verdict("review ≥ 10× b4 0.16, same work as b4 (extraction only)", f"{r:.1f}×", r >= 10)
    if b4_rate:
        whole = (n / w) / b4_rate
        only = (n / (w - base.med("wall"))) / b4_rate if base and w > base.med("wall") else None
        t.verdict("review ≥ 10× b4 0.16 extraction throughput",
                  f"{whole:.1f}× whole process" + (f", {only:.1f}× extraction only" if only else ""),
                  (only or whole) >= 10)
        t.notes.append("review: b4's time is only its extraction loop over bodies already decoded by Python's "
                       "email package (decoding untimed); lkml-review's whole-process time also reads and "
                       "parses the mbox, so the 'extraction only' line subtracts the parse baseline measured "
                       "in the same rounds.")
    else:
        t.verdict("review ≥ 10× b4 0.16 extraction throughput", "b4 not installed", None)


def build_big_c(mbox, out_path, min_lines=10000):
    """Concatenates whole C files that corpus patches create (`--- /dev/null`, `@@ -0,0 +1,N @@`,
    N added lines), the latest version of each path, until at least `min_lines` lines."""
    files = {}
    with open(mbox, "rb") as f:
        lines = f.read().split(b"\n")
    i, n = 0, len(lines)
    hunk = re.compile(rb"^@@ -0,0 \+1(?:,(\d+))? @@")
    while i < n - 3:
        if lines[i] == b"--- /dev/null" and lines[i + 1].startswith(b"+++ b/") and lines[i + 1].endswith(b".c"):
            m = hunk.match(lines[i + 2])
            if m:
                count = int(m.group(1) or 1)
                body = lines[i + 3:i + 3 + count]
                if len(body) == count and all(l.startswith(b"+") for l in body):
                    files[lines[i + 1][6:]] = [l[1:] for l in body]
                i += 3
                continue
        i += 1
    out, total, used = [], 0, 0
    for path in sorted(files, key=lambda p: -len(files[p])):
        if total >= min_lines:
            break
        out.append(b"/* ---- " + path + b" ---- */")
        out += files[path]
        total += len(files[path]) + 1
        used += 1
    with open(out_path, "wb") as f:
        f.write(b"\n".join(out) + b"\n")
    return total, used


def row_rules(args, b, mbox, t, results):
    row = "rules"
    subs = b.subcommands()
    if "check" not in subs:
        t.skip(row, "no `check` subcommand yet (needs `lkml-review check FILE.c` and a hunk-mode check of an mbox's patches)")
        t.verdict("rules: 10,000 lines of C < 100 ms", "no command", None)
        return
    big = os.path.join(ROOT, ".build-bench", "big.c")
    os.makedirs(os.path.dirname(big), exist_ok=True)
    lines, used = build_big_c(mbox, big)
    cmds = []
    full = Cmd("lkml-review check big.c", [b.path, "check", big], ok=lambda rc: rc in (0, 1))
    cmds.append(full)
    h = b.help("check")
    hunk = None
    # Hunk mode over every patch of the archive: `check --patch` reads a patch or mail; given the
    # whole mbox it analyses every file section of every patch in it (one process, no per-patch start).
    if "--patch" in h:
        hunk = Cmd("lkml-review check --patch all.mbox (hunk mode)", [b.path, "check", "--patch", mbox], ok=lambda rc: rc in (0, 1))
        cmds.append(hunk)
    live = measure(cmds, args.runs)
    for c in cmds:
        if c.error:
            t.skip(row, c.error)
    if full in live:
        w = full.med("wall")
        t.add(row, full, f"{lines / w:,.0f} lines/s ({lines} lines from {used} files)")
        per10k = w * 10000 / lines
        t.verdict("rules: 10,000 lines of C < 100 ms", f"{per10k * 1000:.0f} ms per 10,000 lines (process start included)", per10k < 0.1)
    else:
        t.verdict("rules: 10,000 lines of C < 100 ms", "command failed", None)
    if hunk is None:
        t.skip(row, "`check` has no --patch: no hunk-mode measurement (needs `lkml-review check --patch FILE`)")
    elif hunk in live:
        patches, sections = count_patches(mbox)
        w = hunk.med("wall")
        t.add(row, hunk, f"{patches / w:,.0f} patches/s ({patches} patch mails, {sections} file sections)")
        t.notes.append("rules hunk mode: the raw mbox is given to `check --patch` in one process, so every "
                       "`diff --git` section of every patch mail is parsed and its hunks analysed; patches sent "
                       "quoted-printable or base64 are not decoded there.")


def count_patches(mbox):
    """Messages holding a `diff --git` line, and the number of such lines."""
    mails = sections = 0
    with open(mbox, "rb") as f:
        counted = True
        for line in f:
            if line.startswith(b"From "):
                counted = False
            elif line.startswith(b"diff --git "):
                sections += 1
                if not counted:
                    mails += 1
                    counted = True
    return mails, sections


def row_e2e(args, b, t, results):
    row = "end to end"
    subs = b.subcommands()
    # The default command first (`lkml-review FILE`), as a user runs it.
    candidates = [[b.path, SEED]]
    if "review" in subs:
        candidates.append([b.path, "review", SEED])
    argv = None
    for cand in candidates:
        r = subprocess.run(cand, capture_output=True)
        if r.returncode in (0, 1) and r.stdout.strip():
            argv = cand
            break
    if argv is None:
        t.skip(row, "neither `lkml-review FILE` nor `lkml-review review FILE` reviews the seed yet")
        t.verdict("end to end on the seed < 50 ms", "no command", None)
        return
    label = "lkml-review " + " ".join(os.path.relpath(a, ROOT) if a.startswith(ROOT) else a for a in argv[1:])
    c = Cmd(label, argv, ok=lambda rc: rc in (0, 1))
    live = measure([c], max(args.runs, 10))
    if not live:
        t.skip(row, c.error)
        return
    t.add(row, c, "")
    w = c.med("wall")
    t.verdict("end to end on the seed < 50 ms", f"{w * 1000:.0f} ms", w < 0.05)


# ---------------------------------------------------------------------------------------------
# memory: a 400 MB archive and 150,000 tiny patches (issue 15)

ID_HEADERS = re.compile(rb"^(message-id|in-reply-to|references):", re.I)


def build_big_archive(corpus, out_path, target=400 << 20):
    """The shared lists' archives concatenated and repeated until `target` bytes, each copy's
    Message-IDs, In-Reply-To and References rewritten (`<cN-…`) so the copies are distinct threads."""
    sources = [os.path.join(corpus, "lists", d, "all.mbox") for d in sorted(os.listdir(os.path.join(corpus, "lists")))]
    sources = [p for p in sources if os.path.exists(p)]
    if not sources:
        return 0
    written = 0
    copy = 0
    sep = re.compile(rb"^From ")
    with open(out_path, "wb") as out:
        while written < target:
            copy += 1
            tag = b"<c%d-" % copy
            for src in sources:
                with open(src, "rb") as f:
                    in_header = False
                    in_ids = False
                    for line in f:
                        if sep.match(line):
                            in_header, in_ids = True, False
                        elif in_header:
                            if line in (b"\n", b"\r\n"):
                                in_header = in_ids = False
                            elif line[:1] in (b" ", b"\t"):
                                pass  # a folded line continues the field above
                            else:
                                in_ids = bool(ID_HEADERS.match(line))
                            if in_ids:
                                line = line.replace(b"<", tag)
                        out.write(line)
                        written += len(line)
    return written


def build_tiny_patches(out_path, count=150_000):
    """`count` one-line patches (each its own thread) as a gzip-compressed mbox."""
    import gzip
    with gzip.open(out_path, "wb", compresslevel=6) as out:
        for i in range(count):
            day = 1 + i % 28
            out.write((
                f"From tiny-{i} Mon Sep 17 00:00:00 2001\n"
                f"From: Dev {i % 97} <dev{i % 97}@example.org>\n"
                f"Subject: [PATCH] drivers/tiny: fix typo {i}\n"
                f"Date: Mon, {day} Jan 2024 10:{i % 60:02d}:00 +0000\n"
                f"Message-ID: <tiny-{i}@example.org>\n\n"
                f"Fix a typo.\n\nSigned-off-by: Dev {i % 97} <dev{i % 97}@example.org>\n---\n"
                f"diff --git a/drivers/tiny/t{i % 500}.c b/drivers/tiny/t{i % 500}.c\n"
                f"--- a/drivers/tiny/t{i % 500}.c\n+++ b/drivers/tiny/t{i % 500}.c\n"
                f"@@ -10,3 +10,3 @@ static int tiny_probe(struct device *dev)\n"
                f" \tint ret;\n-\tret = tiny_inti(dev);\n+\tret = tiny_init(dev);\n \treturn ret;\n"
                f"-- \n2.43.0\n\n").encode())
    return os.path.getsize(out_path)


def row_memory(args, b, t, results):
    """Peak RSS of review, remarks and check --patch on a ~400 MB archive and on 150,000 tiny
    patches (.mbox.gz), and of review --format reply on the archive, with whole-file reading
    (`--thread-window 0`) measured in the same run.
    The inputs are made in a temporary folder and deleted after. One run per command: the figure
    is the peak, not a timing."""
    row = "memory"
    if "--thread-window" not in b.help("review"):
        t.skip(row, "this binary has no --thread-window (no streamed review)")
        return
    lists = os.path.join(args.corpus, "lists")
    if not os.path.isdir(lists):
        t.skip(row, f"corpus missing: {lists}")
        return
    work = tempfile.mkdtemp(prefix="lkml-review-bench-memory-")
    try:
        big = os.path.join(work, "big.mbox")
        print("bench: memory: writing a 400 MB archive ...", file=sys.stderr)
        size = build_big_archive(args.corpus, big, args.memory_size << 20)
        tiny = os.path.join(work, "tiny.mbox.gz")
        print("bench: memory: writing 150,000 tiny patches ...", file=sys.stderr)
        tiny_size = build_tiny_patches(tiny)
        worst = 0
        for label, path, whole in ((f"{size / (1 << 20):.0f} MB mbox", big, args.memory_baseline),
                                   (f"150,000 tiny patches, {tiny_size / (1 << 20):.1f} MB .mbox.gz", tiny, True)):
            cmds = [
                Cmd(f"review ({label})", [b.path, "review", path], ok=lambda rc: rc in (0, 1)),
            ]
            if path == big:
                # The reply mails: rendered thread group by thread group, written as they come.
                cmds.append(Cmd(f"review --format reply ({label})", [b.path, "review", "--format", "reply", path],
                                ok=lambda rc: rc in (0, 1)))
            cmds += [
                Cmd(f"remarks ({label})", [b.path, "remarks", path]),
                Cmd(f"check --patch ({label})", [b.path, "check", "--patch", path]),
            ]
            if whole:
                cmds += [
                    Cmd(f"review --thread-window 0, whole file ({label})",
                        [b.path, "review", "--thread-window", "0", path], ok=lambda rc: rc in (0, 1)),
                    Cmd(f"remarks --thread-window 0, whole file ({label})", [b.path, "remarks", "--thread-window", "0", path]),
                ]
            for c in cmds:
                try:
                    c.samples.append(c.one())
                except Exception as e:  # noqa: BLE001
                    t.skip(row, f"{c.label}: {e}")
                    continue
                t.add(row, c, f"{size / (1 << 20) / c.med('wall'):.1f} MB/s" if path == big else "")
                if "whole file" not in c.label:
                    worst = max(worst, c.med("rss_kb"))
                results.setdefault("memory", {})[c.label] = c.med("rss_kb")
        t.verdict("peak RSS < 256 MB on review (also --format reply), remarks, check --patch (400 MB mbox, 150,000 tiny patches)",
                  fmt_mb(worst), worst < 256 * 1024)
        t.notes.append(f"memory: the archive is the shared lists concatenated and repeated ({size / (1 << 20):.0f} MB, "
                       "Message-IDs rewritten per copy); one run per command; the whole-file rows read the input at once "
                       "(`--thread-window 0`), as before streaming.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def machine():
    info = {"nproc": os.cpu_count()}
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                info["cpu"] = line.split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            info["memory"] = f"{int(f.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    try:
        info["load"] = "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        pass
    return info


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True, help="the release lkml-review binary")
    ap.add_argument("--b4-python", help="Python of a virtual environment holding b4 0.16.0")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    ap.add_argument("--corpus", default=DEFAULT_CORPUS, help="corpus folder (default ../shared/corpus)")
    ap.add_argument("--only", default="parse,review,rules,e2e,memory", help="rows to run, comma-separated")
    ap.add_argument("--memory-size", type=int, default=400, help="size in MB of the memory row's archive (default 400)")
    ap.add_argument("--memory-baseline", action=argparse.BooleanOptionalAction, default=True,
                    help="also measure whole-file reading on the memory row's archive (about 1.5 GB of RAM)")
    ap.add_argument("--json", help="also write the raw medians as JSON to this file")
    ap.add_argument("--baseline", help="another lkml-review binary (e.g. before an optimisation): its parse is "
                    "measured in the same rounds and compared")
    args = ap.parse_args()
    b = Binary(os.path.abspath(args.binary))
    mbox = os.path.join(args.corpus, MBOX_REL)
    rows = set(args.only.split(","))
    t = Table()
    results = {"machine": machine(), "runs": args.runs}
    m = results["machine"]
    print(f"machine: {m.get('nproc')} cores, {m.get('cpu', '?')}, {m.get('memory', '?')} RAM, load {m.get('load', '?')}; "
          f"{args.runs} runs per command, medians", file=sys.stderr)
    have_mbox = os.path.exists(mbox)
    if "parse" in rows:
        row_parse(args, b, mbox, t, results) if have_mbox else t.skip("parse", f"corpus missing: {mbox}")
    if "review" in rows:
        row_review(args, b, mbox, t, results) if have_mbox else t.skip("review", f"corpus missing: {mbox}")
    if "rules" in rows:
        row_rules(args, b, mbox, t, results) if have_mbox else t.skip("rules", f"corpus missing: {mbox}")
    if "e2e" in rows:
        row_e2e(args, b, t, results)
    if "memory" in rows:
        row_memory(args, b, t, results)
    m2 = machine()
    print(f"\nlkml-review benchmark — {m.get('nproc')} cores, {m.get('cpu', '?')}, {m.get('memory', '?')}; "
          f"{args.runs} runs per command, medians; load average before {m.get('load', '?')}, after {m2.get('load', '?')}\n")
    print(t.render())
    if args.json:
        results["rows"] = t.rows
        results["verdicts"] = t.verdicts
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
