// MIME: multipart trees, the text part chosen, patch attachments, transfer encodings, charsets,
// format=flowed, line endings.
import Foundation
import Testing
@testable import Mailbox

@Suite("MIME")
struct MIMETests {
    static let head = "From: Alice <alice@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nMessage-ID: <mime@example.com>\nSubject: mime\nMIME-Version: 1.0\n"
    static let diff = "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n"
    static let diffB64 = "ZGlmZiAtLWdpdCBhL3guYyBiL3guYwotLS0gYS94LmMKKysrIGIveC5jCkBAIC0xICsxIEBACi1hCitiCg=="

    static let nested = head + """
    Content-Type: multipart/mixed; boundary="outer"

    This is a multi-part message in MIME format.
    --outer
    Content-Type: multipart/alternative; boundary=inner

    --inner
    Content-Type: text/html; charset=utf-8

    <p>HTML <b>version</b></p>
    --inner
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: quoted-printable

    Plain version, caf=C3=A9.
    --inner--
    --outer
    Content-Type: text/x-patch; name="0001-fix.patch"
    Content-Disposition: attachment; filename="0001-fix.patch"
    Content-Transfer-Encoding: base64

    \(diffB64)
    --outer--
    epilogue

    """

    @Test func nestedMultipart() {
        let m = parseMessage(Self.nested)
        #expect(mimeShape(m.mime) == "multipart/mixed(multipart/alternative(text/html[html],text/plain[body]),text/x-patch[patch])")
        #expect(m.body == "Plain version, café.")
        #expect(m.patchAttachments == [Attachment(filename: "0001-fix.patch", contentType: "text/x-patch", text: Self.diff)])
        #expect(m.mime.children[1].transferEncoding == "base64")
        #expect(m.mime.children[1].size == Self.diff.utf8.count)
        #expect(m.mime.children[0].children[1].charset == "utf-8")
        #expect(m.warnings.isEmpty)
    }

    @Test func plainPreferredOverHTMLInAlternative() {
        let m = parseMessage(Self.head + """
        Content-Type: multipart/alternative; boundary=b

        --b
        Content-Type: text/plain

        plain wins
        --b
        Content-Type: text/html

        <div>html loses</div>
        --b--

        """)
        #expect(m.body == "plain wins")
        #expect(mimeShape(m.mime) == "multipart/alternative(text/plain[body],text/html[html])")
        #expect(m.warnings.isEmpty)
    }

    @Test func htmlOnlyIsConvertedWithWarning() {
        let m = parseMessage(Self.head + "Content-Type: text/html; charset=utf-8\n\n<p>Hello&nbsp;<b>world</b> &amp; you</p><br>bye\n")
        #expect(m.body == "\nHello world & you\n\nbye\n")   // <p>, </p> and <br> each end a line
        #expect(warningCodes(m) == [.noTextPart])
    }

    @Test func patchAttachmentsOfEveryKind() {
        let m = parseMessage(Self.head + """
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: text/plain

        See attached.
        --b
        Content-Type: text/x-diff; charset=us-ascii

        \(Self.diff)
        --b
        Content-Type: application/octet-stream; name=fix.patch
        Content-Transfer-Encoding: base64

        \(Self.diffB64)
        --b
        Content-Type: application/octet-stream
        Content-Disposition: attachment; filename*=utf-8''b%C3%A4r.diff
        Content-Transfer-Encoding: base64

        \(Self.diffB64)
        --b
        Content-Type: text/plain; name=notes.txt
        Content-Disposition: attachment; filename=notes.txt

        not a patch, not the body
        --b
        Content-Type: image/png; name=x.png
        Content-Transfer-Encoding: base64

        iVBORw0KGgo=
        --b--

        """)
        #expect(m.body == "See attached.")
        #expect(m.patchAttachments.map(\.filename) == [nil, "fix.patch", "bär.diff"])
        #expect(m.patchAttachments.map(\.contentType) == ["text/x-diff", "application/octet-stream", "application/octet-stream"])
        #expect(m.patchAttachments.map(\.text) == [Self.diff, Self.diff, Self.diff])
        #expect(m.mime.children.map(\.role) == ["body", "patch", "patch", "patch", "attachment", "skipped"])
        #expect(m.warnings.isEmpty)
    }

    @Test func signedMessage() {
        let m = parseMessage(Self.head + """
        Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="sig"

        --sig
        Content-Type: text/plain; charset=us-ascii
        Content-Disposition: inline

        Acked-by: Alice <alice@example.com>
        --sig
        Content-Type: application/pgp-signature; name="signature.asc"

        -----BEGIN PGP SIGNATURE-----
        -----END PGP SIGNATURE-----
        --sig--

        """)
        #expect(m.body == "Acked-by: Alice <alice@example.com>")
        #expect(mimeShape(m.mime) == "multipart/signed(text/plain[body],application/pgp-signature[skipped])")
        #expect(m.trailers.map(\.key) == ["Acked-by"])
        #expect(m.warnings.isEmpty)
    }

    @Test func attachedMessageIsNotTheBody() {
        let m = parseMessage(Self.head + """
        Content-Type: multipart/mixed; boundary=fw

        --fw
        Content-Type: text/plain

        Forwarding this.
        --fw
        Content-Type: message/rfc822

        From: Bob <bob@example.com>
        Subject: inner

        inner text
        --fw--

        """)
        #expect(m.body == "Forwarding this.")
        #expect(mimeShape(m.mime) == "multipart/mixed(text/plain[body],message/rfc822[attached message](text/plain[body]))")
    }

    @Test func emptyPlainAlternativeFallsBackToHTML() {
        let m = parseMessage(Self.head + "Content-Type: multipart/alternative; boundary=a\n\n--a\nContent-Type: text/plain\n\n\n--a\nContent-Type: text/html\n\n<div>only here</div>\n--a--\n")
        #expect(m.body == "only here\n")
        #expect(warningCodes(m) == [.noTextPart])
    }

    // MARK: transfer encodings

    @Test func quotedPrintable() {
        let m = parseMessage(Self.head + """
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        soft=
        break, =3D sign, Gr=C3=BC=C3=9Fe, lower =c3=a9
        trailing spaces dropped   \t
        kept=20
        bad =ZZ escape and =4 too
        end=

        """)
        #expect(m.body == "softbreak, = sign, Grüße, lower é\ntrailing spaces dropped\nkept \nbad =ZZ escape and =4 too\nend")
        #expect(m.warnings == [ParseWarning(.badQuotedPrintable, "2 invalid quoted-printable escape(s) kept as written")])
    }

    @Test func quotedPrintableDecoder() {
        var bad = 0
        #expect(TransferDecoding.quotedPrintable(bytes("a=\r\nb=41\r\n")[...], invalid: &bad) == bytes("abA\n"))
        #expect(TransferDecoding.quotedPrintable(bytes("pad  \r\nx=20\r\n")[...], invalid: &bad) == bytes("pad\nx \n"))
        #expect(bad == 0)
        #expect(TransferDecoding.quotedPrintable(bytes("x =  \ny")[...], invalid: &bad) == bytes("x y"))   // soft break after padding
        #expect(TransferDecoding.quotedPrintable(bytes("=")[...], invalid: &bad) == [])
        #expect(bad == 0)
    }

    @Test func base64Body() {
        let m = parseMessage(Self.head + "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\nR3LDvMOf\nZSBhdXMg\r\nS8O2bG4K\n")
        #expect(m.body == "Grüße aus Köln\n")
        #expect(m.warnings.isEmpty)
    }

    @Test func invalidBase64() {
        let m = parseMessage(Self.head + "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nSGVs*bG8g!d29y\nbGQ=\n")
        #expect(m.body == "Hello world")
        #expect(m.warnings == [ParseWarning(.badBase64, "2 invalid base64 character(s) skipped")])
        var bad = 0
        #expect(TransferDecoding.base64(bytes("SGk=junk")[...], invalid: &bad) == bytes("Hi"))
        #expect(bad == 4)
    }

    @Test func sevenAndEightBit() {
        let seven = parseMessage(Self.head + "Content-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\nplain ascii\n")
        #expect(seven.body == "plain ascii\n")
        let eight = parseMessage(bytes: bytes(Self.head + "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\ncaf") + [0xE9, 0x0A])
        #expect(eight.body == "café\n")
        #expect(eight.warnings.isEmpty)
        let unknown = parseMessage(Self.head + "Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n\nbegin\n")
        #expect(unknown.body == "begin\n")
        #expect(warningCodes(unknown) == [.unknownTransferEncoding])
    }

    // MARK: charsets

    func body(charset: String?, _ raw: [UInt8]) -> Message {
        let ct = charset.map { "Content-Type: text/plain; charset=\($0)\n" } ?? "Content-Type: text/plain\n"
        return parseMessage(bytes: bytes(Self.head + ct + "Content-Transfer-Encoding: 8bit\n\n") + raw)
    }

    @Test func charsetFallbackChain() {
        // declared and right
        #expect(body(charset: "utf-8", [0x63, 0x61, 0x66, 0xC3, 0xA9]).body == "café")
        #expect(body(charset: "windows-1252", [0x93, 0x71, 0x94, 0x80]).body == "\u{201C}q\u{201D}€")
        #expect(body(charset: "koi8-r", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]).body == "Привет")
        #expect(body(charset: "gb2312", [0xD6, 0xD0, 0xCE, 0xC4]).body == "中文")
        #expect(body(charset: "\"ISO-2022-JP\"", [0x1B, 0x24, 0x42, 0x25, 0x46, 0x25, 0x39, 0x25, 0x48, 0x1B, 0x28, 0x42]).body == "テスト")
        // us-ascii that is really UTF-8: accepted silently
        let ascii = body(charset: "us-ascii", [0xC3, 0xA9])
        #expect(ascii.body == "é")
        #expect(ascii.warnings.isEmpty)
        // declared utf-8 but Latin-1 bytes: utf-8 fails → windows-1252
        let wrong = body(charset: "utf-8", [0x63, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x78, 0x94])
        #expect(wrong.body == "café \u{201C}x\u{201D}")
        #expect(warningCodes(wrong) == [.undecodableText])
        // no charset: UTF-8 when valid, else windows-1252
        #expect(body(charset: nil, [0xC3, 0xA9]).body == "é")
        #expect(body(charset: nil, [0xE9]).body == "é")
        // unknown charset: declared → utf-8 → windows-1252, with a warning
        let unknownUTF8 = body(charset: "x-martian", [0xC3, 0xA9])
        #expect(unknownUTF8.body == "é")
        #expect(unknownUTF8.warnings == [ParseWarning(.unknownCharset, "unknown charset x-martian; decoded as UTF-8")])
        let unknown8 = body(charset: "x-martian", [0xE9])
        #expect(unknown8.body == "é")
        #expect(unknown8.warnings == [ParseWarning(.unknownCharset, "unknown charset x-martian; decoded as windows-1252")])
    }

    @Test func charsetNames() {
        #expect(Charset.normalize("UTF8") == "utf-8")
        #expect(Charset.normalize("\"ISO8859-1\"") == "iso-8859-1")
        #expect(Charset.normalize("ANSI_X3.4-1968") == "us-ascii")
        #expect(Charset.normalize("CP1252") == "windows-1252")
        #expect(Charset.known("iso-2022-jp"))
        #expect(Charset.known("KOI8-R"))
        #expect(!Charset.known("x-martian"))
    }

    // MARK: format=flowed

    @Test func flowed() {
        let m = parseMessage(Self.head + """
        Content-Type: text/plain; charset=utf-8; format=flowed

        This paragraph was \r
        wrapped by the \r
        client.\r
        > quoted and \r
        > flowed too\r
        >> deeper \r
        >> level\r
         From a stuffed line\r
        -- \r
        sig

        """)
        #expect(m.body == "This paragraph was wrapped by the client.\n> quoted and flowed too\n>> deeper level\nFrom a stuffed line\n-- \nsig\n")
    }

    @Test func flowedDelSp() {
        let m = parseMessage(Self.head + "Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\nThis is a long wo \nrd split\n")
        #expect(m.body == "This is a long word split\n")
        let noDel = parseMessage(Self.head + "Content-Type: text/plain; charset=utf-8; format=flowed; DelSp=no\n\nThis is a long wo \nrd split\n")
        #expect(noDel.body == "This is a long wo rd split\n")
        #expect(Flowed.decode("a \nb", delSp: true) == "ab")
        #expect(Flowed.decode("> a \nb", delSp: false) == "> a \nb")   // depth change ends the paragraph
    }

    /// A quoted patch's blank context line reaches a flowed reply as `>  ` (marker, stuffing, the
    /// context line's space): a line of spaces is no soft break, so the next quoted line stays a line.
    @Test func flowedQuotedBlankContextLineIsNotJoined() {
        let body = ">  \tconfigure the programmable logic(PL).\n>  \n>  \tTo compile this as a module.\n> +\n>  endif \n> # FPGA\n"
        let m = parseMessage(Self.head + "Content-Type: text/plain; charset=utf-8; format=flowed\n\n" + body)
        #expect(m.body == ">  \tconfigure the programmable logic(PL).\n>  \n>  \tTo compile this as a module.\n> +\n>  endif # FPGA\n")
        // delsp=yes: the line of spaces is kept as it is (nothing is deleted from a fixed line)
        #expect(Flowed.decode(">  \n> next", delSp: true) == ">  \n> next")
        #expect(Flowed.decode("   \nnext", delSp: false) == "  \nnext")
    }

    // MARK: line endings and RFC 2231

    @Test func crlfAndLFGiveSameMessage() {
        let lf = parseMessage(Self.nested)
        let cr = parseMessage(bytes: crlf(Self.nested))
        #expect(cr.body == lf.body)
        #expect(cr.patchAttachments == lf.patchAttachments)
        #expect(cr.headers == lf.headers)
        #expect(mimeShape(cr.mime) == mimeShape(lf.mime))
        #expect(cr.warnings.isEmpty)
        let plain = "From: a@example.com\nSubject: s\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nMessage-ID: <p@x>\n\nline one\nline two\n\n"
        #expect(parseMessage(bytes: crlf(plain)).body == "line one\nline two\n\n")
    }

    @Test func loneCarriageReturnKept() {
        // like git mailinfo: a CR inside a line is content (here part of a patch); only CRLF is a line end
        let m = parseMessage(Self.head + "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + Data("+\tprintf \"\rChecking\"\r\nnext\n".utf8).base64EncodedString() + "\n")
        #expect(m.body == "+\tprintf \"\rChecking\"\nnext\n")
    }

    @Test func rfc2231Parameters() {
        let (v, p) = ContentType.parseValueWithParams("attachment; filename*0*=utf-8''K%C3%B6ln; filename*1=\"-part.patch\"; size=12")
        #expect(v == "attachment")
        #expect(p["filename"] == "Köln-part.patch")
        #expect(p["size"] == "12")
        let ct = ContentType.parse("Text/Plain; Charset=\"ISO-8859-1\"; format=flowed")
        #expect(ct?.type == "text/plain")
        #expect(ct?.params["charset"] == "ISO-8859-1")
        #expect(ContentType.parse("text")?.type == "text/plain")
    }
}
