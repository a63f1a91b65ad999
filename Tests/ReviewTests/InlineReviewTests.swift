import Foundation
import Testing
import Mailbox
@testable import Review

@Suite struct InlineReviewTests {
    /// The corpus's `inline-reviews/` hold single replies that comment between quoted diff lines
    /// (sometimes the inline comments are the quoted reviewer's, and the sender answers them):
    /// each must give numbered quoted diff lines and remarks, and most remarks must find their line.
    @Test func everyInlineReviewHasALineRemark() throws {
        let lists = corpusRoot.appendingPathComponent("lists")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: lists.path) else {
            print("inline-review check skipped: no corpus at \(lists.path)")
            return
        }
        for list in names.sorted() {
            let dir = lists.appendingPathComponent(list).appendingPathComponent("inline-reviews")
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
            var replies = 0, remarks = 0, onLines = 0, numbered = 0
            for f in files.sorted() where f.hasSuffix(".eml") {
                guard let m = try MailReader.read(path: dir.appendingPathComponent(f).path).messages.first else { continue }
                let an = ReviewParser.analyze(m)
                replies += 1
                remarks += an.remarks.count
                let line = an.remarks.filter { $0.target == .line }
                onLines += line.count
                numbered += line.filter { $0.anchor?.newLine != nil || $0.anchor?.oldLine != nil }.count
                if !an.quotedDiff.lines.contains(where: { $0.newLine != nil || $0.oldLine != nil }) { print("no numbered line: \(f)") }
                #expect(!an.remarks.isEmpty, "\(list)/\(f)")
                #expect(line.allSatisfy { $0.anchor?.lineIndex ?? -1 >= -1 })
            }
            print("\(list) inline-reviews: \(replies) replies, \(remarks) remarks, \(onLines) on diff lines, \(numbered) with line numbers")
            #expect(numbered * 10 >= onLines * 8, "\(list)")
        }
    }
}
