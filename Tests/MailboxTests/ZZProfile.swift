import Foundation
import Testing
@testable import Mailbox

@Test func zzProfile() {
    func t(_ name: String, _ f: () -> Void) { let s = DispatchTime.now().uptimeNanoseconds; f(); print(name, Double(DispatchTime.now().uptimeNanoseconds - s) / 1e9) }
    var raw = bytes("From: Big <big@example.com>\nMessage-ID: <bighdr@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nSubject: ")
    raw += [UInt8](repeating: UInt8(ascii: "y"), count: 50 << 20)
    raw += bytes("\n\nsmall body\n")
    var w: [ParseWarning] = []
    var hs: [RawHeader] = []
    t("header") { hs = HeaderParser.parse(raw[...], limits: ParseLimits(), warnings: &w).headers }
    let v = hs.last!.value
    t("contains") { _ = EncodedWords.containsEncodedWordStart(v) }
    var s = ""
    t("decodeRaw") { s = EncodedWords.decodeRaw(v) }
    t("replacingAll") { _ = s.replacingAll("\t", with: " ") }
    t("subject") { _ = SubjectParser.parse(s) }
    t("trim") { _ = s.trimmingWhitespace() }
    var body = bytes("From: Big <big@example.com>\nMessage-ID: <bighdr@example.com>\nDate: Mon, 15 Feb 2021 20:15:47 -0500\nSubject: x\n\n")
    body += [UInt8](repeating: UInt8(ascii: "x"), count: 50 << 20)
    body += bytes("\nend\n")
    t("whole body msg") { _ = MessageParser.parse(body[...]) }
    var sp = MboxSplitter(source: MemorySource(bytes("From a@b Mon Feb 15 20:15:47 2021\n") + body), format: .auto)
    t("split") { while let _ = try? sp.next() {} }
    let text = String(decoding: body, as: UTF8.self)
    t("trailers") { _ = TrailerParser.parse(body: text, sender: nil) }
    t("decodeText") { var r = MIMEResult(tree: MIMEPart(contentType: "text/plain")); _ = MIMEWalker.decodeText(body, ct: ContentType(type: "text/plain", params: [:]), result: &r) }
    t("longest") { _ = MessageParser.longestLine(body[...]) }
}
