import Foundation
import Testing
import Mailbox
import Patch
import Rules
@testable import Report

func loadThreads(_ sample: String) throws -> ThreadSet {
    let contents = try MailReader.read(path: repoRoot.appendingPathComponent("Samples/\(sample)").path)
    return ThreadSet(messages: contents.messages)
}

@Suite struct BuilderTests {
    @Test func dumpSamples() throws {
        for s in ["vfio-ap-lockdep-review.eml", "acme-adc-runtime-pm-thread.mbox"] {
            let r = ReportBuilder(findings: RuleFindings.source(engine: RuleEngine())).build(input: "Samples/\(s)", threads: try loadThreads(s))
            if ProcessInfo.processInfo.environment["LKML_REVIEW_DUMP"] == "1" { print(MarkdownRenderer().render(r)) }
            #expect(!r.series.isEmpty)
        }
    }
}
