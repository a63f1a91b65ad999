import Foundation
import Testing
@testable import Patch

// Real list mail: every message of the corpus threads that carries an unquoted `diff --git` must
// parse without hunk-count mismatches in at least 95% of cases.

let corpusRoot = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")

/// One message of an mbox, split simply at `From mboxrd@z ` lines (enough for a test).
struct CorpusMessage {
    var headers: [(String, String)]
    var body: [UInt8]
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

func splitMbox(_ data: [UInt8]) -> [CorpusMessage] {
    var messages: [CorpusMessage] = []
    let fromLine = Array("From mboxrd@z ".utf8)
    var lines: [ArraySlice<UInt8>] = data.split(separator: 0x0A, omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    var current: [ArraySlice<UInt8>] = []
    func flush() {
        guard !current.isEmpty else { return }
        var headers: [(String, String)] = []
        var k = 0
        while k < current.count && !current[k].isEmpty {
            let line = String(decoding: current[k], as: UTF8.self)
            if let f = line.first, f == " " || f == "\t", !headers.isEmpty {
                headers[headers.count - 1].1 += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
            k += 1
        }
        var body: [UInt8] = []
        for line in current.dropFirst(k + 1) {
            // mboxrd: `>From ` (any number of `>`) loses one `>`.
            var l = line
            if l.first == UInt8(ascii: ">") {
                let rest = l.drop { $0 == UInt8(ascii: ">") }
                if rest.starts(with: "From ".utf8) { l = l.dropFirst() }
            }
            body += l
            body.append(0x0A)
        }
        messages.append(CorpusMessage(headers: headers, body: body))
        current = []
    }
    for line in lines {
        if line.starts(with: fromLine) { flush(); continue }
        current.append(line)
    }
    flush()
    return messages
}

@Test func corpusDiffsParseWithoutCountMismatch() throws {
    let lists = corpusRoot.appendingPathComponent("lists")
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: lists.path) else {
        print("corpus test skipped: no corpus at \(lists.path)")
        return
    }
    var totalStatChecked = 0, totalStatAgreeing = 0
    var totalWithDiff = 0, totalClean = 0, totalFiles = 0, totalHunks = 0, skippedEncoded = 0
    for list in names.sorted() {
        let threads = lists.appendingPathComponent(list).appendingPathComponent("threads")
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: threads.path) else { continue }
        var withDiff = 0, clean = 0, fileCount = 0, hunkCount = 0, lineCount = 0
        var statChecked = 0, statAgreeing = 0
        for name in files.sorted() where name.hasSuffix(".mbox") {
            let data = try [UInt8](Data(contentsOf: threads.appendingPathComponent(name)))
            for message in splitMbox(data) {
                let cte = message.header("Content-Transfer-Encoding")?.lowercased() ?? ""
                guard cte.isEmpty || cte.hasPrefix("7bit") || cte.hasPrefix("8bit") else {
                    if PatchParser.containsDiff(message.body) { skippedEncoded += 1 }
                    continue
                }
                let found = PatchParser.findPatches(in: message.body)
                guard found.contains(where: { $0.patch.files.contains { $0.isGitDiff } }) else { continue }
                withDiff += 1
                let mismatches = found.flatMap(\.patch.warnings).filter(\.isCountMismatch)
                if mismatches.isEmpty {
                    clean += 1
                } else {
                    print("count mismatch in \(list)/\(name): \(message.header("Subject") ?? "?"): \(mismatches.map(\.description))")
                }
                for f in found {
                    // The diffstat summary is an independent count of what the hunks hold.
                    if let summary = diffstatSummary(f.patch.diffstat) {
                        statChecked += 1
                        if summary == (f.patch.files.count, f.patch.insertions, f.patch.deletions) {
                            statAgreeing += 1
                        } else {
                            print("diffstat disagrees in \(list)/\(name): \(message.header("Subject") ?? "?"): stat \(summary), parsed \((f.patch.files.count, f.patch.insertions, f.patch.deletions))")
                        }
                    }
                    fileCount += f.patch.files.count
                    hunkCount += f.patch.files.reduce(0) { $0 + $1.hunks.count }
                    lineCount += f.patch.files.reduce(0) { $0 + $1.hunks.reduce(0) { $0 + $1.lines.count } }
                }
            }
        }
        print("corpus \(list): \(withDiff) messages with a diff, \(clean) without count mismatch, \(fileCount) files, \(hunkCount) hunks, \(lineCount) hunk lines; diffstat summary agrees in \(statAgreeing)/\(statChecked)")
        totalStatChecked += statChecked; totalStatAgreeing += statAgreeing
        totalWithDiff += withDiff; totalClean += clean; totalFiles += fileCount; totalHunks += hunkCount
    }
    guard totalWithDiff > 0 else {
        print("corpus test skipped: no message with a diff under \(lists.path)")
        return
    }
    let rate = Double(totalClean) / Double(totalWithDiff)
    print("corpus total: \(totalClean)/\(totalWithDiff) = \(String(format: "%.1f", rate * 100))% without count mismatch; \(totalFiles) files, \(totalHunks) hunks; \(skippedEncoded) encoded (QP/base64) messages with a diff skipped")
    #expect(rate >= 0.95)
    print("corpus diffstat summaries agreeing with the parsed hunks: \(totalStatAgreeing)/\(totalStatChecked)")
    #expect(totalStatAgreeing * 100 >= totalStatChecked * 95)
}

/// ` 3 files changed, 10 insertions(+), 2 deletions(-)` → (3, 10, 2).
func diffstatSummary(_ lines: [String]) -> (Int, Int, Int)? {
    guard let line = lines.last(where: { $0.contains(" changed") }) else { return nil }
    var files = 0, ins = 0, del = 0
    for part in line.split(separator: ",") {
        let words = part.split(separator: " ")
        guard let n = words.first.flatMap({ Int($0) }), words.count >= 2 else { continue }
        if words[1].hasPrefix("file") { files = n }
        else if words[1].hasPrefix("insertion") { ins = n }
        else if words[1].hasPrefix("deletion") { del = n }
    }
    return (files, ins, del)
}
