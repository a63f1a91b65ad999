"""Python peer for the parse row: the whole mbox read with the standard library, every message
fully parsed the way lkml-review parses it: headers decoded (policy.default parses From/To/Cc as
addresses, Date as a datetime, RFC 2047 words), the text/plain part chosen and its content decoded
(transfer encoding and charset). Prints the message count and decoded text size."""
import email
import mailbox
import sys
from email import policy


def main(path):
    box = mailbox.mbox(path, factory=None, create=False)
    count = 0
    text_bytes = 0
    for key in box.iterkeys():
        msg = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
        count += 1
        for name in ("subject", "from", "to", "cc", "date", "message-id", "in-reply-to", "references"):
            # policy.default raises on some malformed headers (lkml-review records a warning)
            try:
                value = msg.get(name)
                if name == "date" and value is not None:
                    value.datetime
            except Exception:
                pass
        try:
            body = msg.get_body(preferencelist=("plain",))
            if body is not None:
                text_bytes += len(body.get_content())
        except Exception:
            pass
    print(f"{count} message(s), {text_bytes} characters of decoded text")


if __name__ == "__main__":
    main(sys.argv[1])
