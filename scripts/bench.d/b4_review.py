"""b4 0.16 peer for the review row. Run with the virtual environment's Python.

Untimed: every message of the mbox is read and decoded with Python's email package (policy.default,
text/plain part, get_content()) and the replies are kept (a reply: In-Reply-To or References, or a
Re: subject). Timed: b4.review._extract_comments_from_quoted_reply(body) on each reply's decoded
body, in this one process. Prints JSON: replies, comments found, seconds of the timed loop."""
import email
import json
import mailbox
import sys
import time
from email import policy

import b4.review


def main(path, repeat):
    box = mailbox.mbox(path, create=False)
    bodies = []
    for key in box.iterkeys():
        msg = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
        subject = str(msg.get("subject", ""))
        reply = msg.get("in-reply-to") is not None or msg.get("references") is not None \
            or subject.lower().startswith("re:")
        if not reply:
            continue
        try:
            part = msg.get_body(preferencelist=("plain",))
            text = part.get_content() if part is not None else ""
        except Exception:
            text = ""
        if isinstance(text, str) and text:
            bodies.append(text)
    extract = b4.review._extract_comments_from_quoted_reply
    best = None
    comments = 0
    for _ in range(repeat):
        comments = 0
        t0 = time.perf_counter()
        for body in bodies:
            comments += len(extract(body))
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    print(json.dumps({"replies": len(bodies), "comments": comments, "seconds": best}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1)
