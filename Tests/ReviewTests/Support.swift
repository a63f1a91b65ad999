import Foundation
import Mailbox
import Patch
@testable import Review

/// Repository root, from this file's path.
let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let corpusRoot: URL = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")

/// A reply with the given body (a minimal header set).
func reply(_ body: String, from: String = "Reviewer <rev@example.org>", subject: String = "Re: [PATCH] foo: bar",
           id: String = "r1@x", parent: String? = "p1@x") -> Message {
    let (name, email) = AttributionParser.splitNameEmail(from)
    return Message(subject: subject, subjectInfo: SubjectInfo(title: "foo: bar", isReply: true, isPatch: subject.contains("PATCH")),
                   from: Address(name: name, email: email ?? "rev@example.org"), messageID: id, inReplyTo: parent,
                   references: parent.map { [$0] } ?? [], body: body)
}

func message(from: String, id: String, parent: String?, body: String = "", patch: Bool = true) -> Message {
    let (name, email) = AttributionParser.splitNameEmail(from)
    return Message(subject: patch ? "[PATCH] foo: bar" : "Re: foo", subjectInfo: SubjectInfo(title: "foo: bar", isPatch: patch),
                   from: Address(name: name, email: email ?? "x@example.org"), messageID: id, inReplyTo: parent,
                   references: parent.map { [$0] } ?? [], body: body)
}

/// Reads a 7-bit .eml: headers up to the first empty line, the rest is the body.
func loadEML(_ url: URL) throws -> Message {
    let text = try String(contentsOf: url, encoding: .utf8)
    let parts = text.components(separatedBy: "\n\n")
    let head = parts.first ?? ""
    let body = parts.dropFirst().joined(separator: "\n\n")
    var fields: [HeaderField] = []
    for line in head.split(separator: "\n") {
        if let c = line.firstIndex(of: ":") {
            fields.append(HeaderField(name: String(line[..<c]), value: trim(String(line[line.index(after: c)...]))))
        }
    }
    func h(_ n: String) -> String? { fields.first { $0.name.lowercased() == n.lowercased() }?.value }
    func id(_ s: String?) -> String? { s.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "<> ")) } }
    let (name, email) = AttributionParser.splitNameEmail(h("From") ?? "")
    let subject = h("Subject") ?? ""
    return Message(headers: fields, subject: subject,
                   subjectInfo: SubjectInfo(title: subject, isReply: subject.hasPrefix("Re:"), isPatch: subject.contains("[PATCH")),
                   from: Address(name: name, email: email ?? ""), messageID: id(h("Message-ID")),
                   inReplyTo: id(h("In-Reply-To")), references: id(h("References")).map { [$0] } ?? [], body: body)
}
