// A report built group by group and put back together (`ReportBuilder.buildParts`,
// `ReportStream`, `SARIFStream`) is the report built whole: the samples and the corpus's thread
// mboxes read as one input, each thread built on its own, in every format.
import Foundation
import Testing
import Mailbox
import Rules
@testable import Report

@Suite("ReportStream")
struct ReportStreamTests {
    /// The samples, then the corpus's thread mboxes when present (as one input, indexed in order).
    static func inputs() throws -> [Message] {
        var paths = [repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path,
                     repoRoot.appendingPathComponent("Samples/vfio-ap-lockdep-review.eml").path]
        let lists = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/lists")
        if let e = FileManager.default.enumerator(atPath: lists.path) {
            var found: [String] = []
            for case let p as String in e where p.contains("/threads/") && p.hasSuffix(".mbox") { found.append(lists.appendingPathComponent(p).path) }
            paths += found.sorted().prefix(12)
        } else {
            print("ReportStreamTests: no corpus at \(lists.path): the samples only")
        }
        var messages: [Message] = []
        for p in paths {
            try MailReader.forEach(path: p) { m in
                var m = m
                m.index = messages.count
                messages.append(m)
            }
        }
        return messages
    }

    static func builder() -> ReportBuilder {
        var b = ReportBuilder()
        b.findings = RuleFindings.source(engine: RuleEngine())
        // Revisions are followed within one build: a window of one message never holds two
        // revisions, so the comparison is made without them (RevisionStreamTests has them).
        b.revisions.enabled = false
        return b
    }

    /// Whole, and group by group (a window of one message: every thread closes as soon as it can).
    @Test func groupByGroupIsTheWholeReport() throws {
        let messages = try Self.inputs()
        let b = Self.builder()
        let whole = b.build(input: "in.mbox", threads: ThreadSet(messages: messages))
        #expect(whole.series.count > 2)

        var options = ThreadWindowOptions()
        options.messages = 1
        options.bytes = 0
        var window = ThreadWindow(options: options)
        var groups: [ThreadGroup] = []
        for m in messages { groups += window.add(m) }
        groups += window.finish()
        #expect(groups.count > 2)

        var stream = ReportStream(input: "in.mbox", rulesRun: true)
        var series: [ReportPart] = [], quoted: [ReportPart] = []
        for g in groups {
            let parts = b.buildParts(input: "in.mbox", threads: ThreadSet(messages: g.messages))
            stream.add(limitWarnings: parts.limitWarnings)
            for p in parts.parts { if p.isQuoted { quoted.append(p) } else { series.append(p) } }
        }
        var ordered: [SeriesReport] = []
        for p in series.sorted(by: { $0.key < $1.key }) + quoted.sorted(by: { $0.key < $1.key }) {
            if let s = stream.next(p) { ordered.append(s) }
        }
        #expect(ordered == whole.series)
        #expect(stream.warnings == whole.warnings)

        let md = MarkdownRenderer(contextLines: 4)
        var markdown = "", text = "", json = try stream.jsonStart()
        var sarif = SARIFStream()
        var results: [String] = []
        for (k, s) in ordered.enumerated() {
            markdown += stream.markdown(s, index: k, renderer: md)
            text += stream.text(s, renderer: TextRenderer(color: false))
            json += try stream.json(s, index: k)
            results += try sarif.results(s)
        }
        markdown += stream.markdownEnd()
        json += try stream.jsonEnd()
        let (head, tail) = try sarif.frame()
        let sarifText = head + results.joined().replacingOccurrences(of: SARIFStream.placeholderText, with: sarif.remarkIndexText) + tail
        #expect(markdown == md.render(whole))
        #expect(text == TextRenderer(color: false).render(whole))
        #expect(json == (try JSONRenderer().render(whole)))
        #expect(sarifText == (try SARIFRenderer().render(whole)))
        #expect(stream.hasFindings(atOrAbove: .note) == whole.hasFindings(atOrAbove: .note))
    }
}
