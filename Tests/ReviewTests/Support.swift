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

/// A hunk from diff lines written with their markers; numbers are computed.
func makeHunk(_ oldStart: Int, _ newStart: Int, section: String = "", _ lines: [String]) -> Hunk {
    var o = oldStart, n = newStart
    var out: [HunkLine] = []
    for l in lines {
        let text = String(l.dropFirst())
        switch l.first {
        case "+": out.append(HunkLine(kind: .added, text: text, oldLine: nil, newLine: n)); n += 1
        case "-": out.append(HunkLine(kind: .removed, text: text, oldLine: o, newLine: nil)); o += 1
        default: out.append(HunkLine(kind: .context, text: text, oldLine: o, newLine: n)); o += 1; n += 1
        }
    }
    let oc = out.filter { $0.kind != .added }.count, nc = out.filter { $0.kind != .removed }.count
    return Hunk(oldStart: oldStart, oldCount: oc, newStart: newStart, newCount: nc, section: section, lines: out)
}

/// `lines` quoted with "> " each.
func quoted(_ lines: [String], prefix: String = "> ") -> String {
    lines.map { $0.isEmpty ? ">" : prefix + $0 }.joined(separator: "\n")
}

/// The hunk used by several tests: foo.c, function `foo_probe`.
let probeLines: [String] = [
    " \tstruct foo *f;",
    " \tint ret;",
    " ",
    "-\tf = kzalloc(sizeof(*f), GFP_KERNEL);",
    "+\tf = devm_kzalloc(&pdev->dev, sizeof(*f), GFP_KERNEL);",
    " \tif (!f)",
    " \t\treturn -ENOMEM;",
    " ",
    "+\tret = foo_hw_init(f, pdev->resource, FOO_DEFAULT_FLAGS | FOO_FLAG_WAIT_FOR_FIRMWARE);",
    "+\tif (ret)",
    "+\t\treturn ret;",
    "+",
    " \tplatform_set_drvdata(pdev, f);",
    " \treturn 0;",
    " }",
]
let probeHunk = makeHunk(40, 40, section: "static int foo_probe(struct platform_device *pdev)", probeLines)
let probePatch = Patch(commitMessage: "foo: use devm", files: [FilePatch(oldPath: "drivers/foo/foo.c", newPath: "drivers/foo/foo.c", hunks: [probeHunk])])
let probeHeader = ["diff --git a/drivers/foo/foo.c b/drivers/foo/foo.c", "index 1111111..2222222 100644",
                   "--- a/drivers/foo/foo.c", "+++ b/drivers/foo/foo.c",
                   "@@ -40,10 +40,14 @@ static int foo_probe(struct platform_device *pdev)"]
