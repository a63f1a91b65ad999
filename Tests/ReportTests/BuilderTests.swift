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

func sampleReport(_ sample: String) throws -> ReviewReport {
    ReportBuilder(findings: RuleFindings.source(engine: RuleEngine()))
        .build(input: "Samples/\(sample)", threads: try loadThreads(sample))
}

/// Built once for all the tests of a suite (Swift Testing makes a suite instance per test).
let vfioReport = Result { try sampleReport(VfioSampleTests.sample) }
let acmeReport = Result { try sampleReport(AcmeSampleTests.sample) }

/// `lkml-review Samples/vfio-ap-lockdep-review.eml`: the acceptance items of the Report issue.
@Suite struct VfioSampleTests {
    static let sample = "vfio-ap-lockdep-review.eml"
    let report: ReviewReport
    let patch: PatchReport
    init() throws {
        report = try vfioReport.get()
        patch = try #require(report.series.first?.patches.first)
    }

    @Test func onePatchRebuiltFromTheQuotes() {
        #expect(report.series.count == 1)
        #expect(report.series[0].patches.count == 1)
        #expect(patch.source == .quoted)
        #expect(patch.title == "s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks")
        #expect(patch.message.from == Person(name: "Tony Krowiak", email: "akrowiak@xxxxxxxxxxxxx"))
        #expect(patch.message.dateText == "Mon, 15 Feb 2021 20:15:47 -0500")
        #expect(patch.message.messageID == "seed-reconstruction-vfio-ap-lockdep-patch@example.invalid")
        #expect(patch.loreURL == "https://lore.kernel.org/all/seed-reconstruction-vfio-ap-lockdep-patch@example.invalid/")
        #expect(patch.files.map(\.path) == ["drivers/s390/crypto/vfio_ap_ops.c"])
        #expect(patch.files[0].hunks == ["-1027,8 +1027,21", "-1043,9 +1056,17", "-1079,51 +1100,80", "-1258,8 +1308,7"])
        #expect(patch.insertions == 84 && patch.deletions == 35)
        #expect(patch.files[0].functions == ["vfio_ap_mdev_set_kvm", "vfio_ap_mdev_unset_kvm", "vfio_ap_mdev_group_notifier", "vfio_ap_mdev_release"])
    }

    @Test func ackedByHalilIsConditional() throws {
        #expect(patch.trailers.count == 1)
        let t = try #require(patch.trailers.first)
        #expect(t.key == "Acked-by")
        #expect(t.person == Person(name: "Halil Pasic", email: "pasic@xxxxxxxxxxxxx"))
        #expect(t.isConditional)
        #expect(t.condition == "With the one little thing I commented on below addressed:")
        #expect(t.givenIn.messageID == "seed-reconstruction-vfio-ap-lockdep-review@example.invalid")
        // The condition is shown with the trailer, not as a remark of its own.
        #expect(!patch.remarks.contains { $0.text.hasPrefix("With the one little thing") })
    }

    @Test func remarksAt1039And1145WithQuotedCode() throws {
        #expect(patch.remarks.map(\.id) == ["R1", "R2", "R3"])
        #expect(patch.remarks.map(\.target) == [.patch, .line, .line])
        let r1039 = try #require(patch.remarks.first { $0.newLine == 1039 })
        #expect(r1039.function == "vfio_ap_mdev_set_kvm")
        #expect(r1039.reviewer?.name == "Halil Pasic")
        #expect(r1039.text.hasPrefix("Could for example a PQAP AQIC run across"))
        #expect(r1039.code.map(\.newLine) == [1035, 1036, 1037, 1038, 1039, 1040, 1041])
        #expect(r1039.code.filter(\.isMarked).map(\.text) == [" *"])
        let r1145 = try #require(patch.remarks.first { $0.newLine == 1145 })
        #expect(r1145.function == "vfio_ap_mdev_unset_kvm")
        #expect(r1145.code.filter(\.isMarked).map(\.text) == ["\t\tmatrix_mdev->kvm = NULL;"])
        #expect(r1145.code.map(\.newLine) == [1141, 1142, 1143, 1144, 1145, 1146, 1147])
        #expect(r1145.answers.isEmpty && r1039.answers.isEmpty)
    }

    @Test func findingsLinkedToTheRemarkInTheSameFunction() throws {
        let r1039 = try #require(patch.remarks.first { $0.newLine == 1039 }).id
        let r1145 = try #require(patch.remarks.first { $0.newLine == 1145 }).id
        let setWindow = try #require(patch.findings.first { $0.rule == "lock-window" && $0.function == "vfio_ap_mdev_set_kvm" })
        #expect(setWindow.line == 1062 && setWindow.endLine == 1067 && setWindow.change == .introduced)
        #expect(setWindow.remarks == [r1039])
        let unsetWindow = try #require(patch.findings.first { $0.rule == "lock-window" && $0.function == "vfio_ap_mdev_unset_kvm" })
        #expect(unsetWindow.line == 1147 && unsetWindow.endLine == 1149 && unsetWindow.change == .introduced)
        #expect(unsetWindow.remarks == [r1145])
        let refcounts = patch.findings.filter { $0.rule == "refcount-balance" }
        #expect(refcounts.map(\.function) == ["vfio_ap_mdev_unset_kvm"])
        #expect(refcounts.allSatisfy { $0.remarks == [r1145] && $0.change == .introduced && $0.severity == .note })
        #expect(refcounts.map(\.line) == [1153])
        // The callers' windows (through the callee) are in functions no line remark is about, but the
        // patch-level remark names both (“vfio_ap_mdev_group_notifier() and vfio_ap_mdev_release()
        // could interleave … permutations of the critical sections”): they are linked to it.
        #expect(patch.findings.filter(\.isUnmentioned).isEmpty)
        let r1 = try #require(patch.remarks.first { $0.target == .patch })
        let calleeWindows = patch.findings.filter { $0.rule == "lock-window" && $0.endLine == nil }
        #expect(calleeWindows.map { "\($0.function ?? "") \($0.line) \($0.remarks)" } == [
            "vfio_ap_mdev_group_notifier 1171 [\"\(r1.id)\"]", "vfio_ap_mdev_group_notifier 1172 [\"\(r1.id)\"]",
            "vfio_ap_mdev_release 1311 [\"\(r1.id)\"]"])
        #expect(r1.findings == calleeWindows.map(\.id))
        #expect(patch.remarks.first { $0.id == r1145 }?.findings == refcounts.map(\.id).reduce(into: [unsetWindow.id,
            patch.findings.first { $0.rule == "lock-balance" && $0.function == "vfio_ap_mdev_unset_kvm" }?.id ?? ""]) { $0.append($1) }.sorted { Int($0.dropFirst()) ?? 0 < Int($1.dropFirst()) ?? 0 })
    }

    @Test func openQuestions() {
        #expect(patch.questions.map(\.text) == [
            "Tony, you gave this a decent amount of testing or?",
            "Any objections?",
            "Could for example a PQAP AQIC run across an unset matrix_mdev->kvm like this, in theory?",
            "Why not set it up before setting the mask?",
        ])
        #expect(patch.questions.allSatisfy { !$0.isAnswered && $0.askedBy?.name == "Halil Pasic" })
        #expect(patch.questions.map(\.remark) == ["R1", "R1", "R2", "R2"])
    }

    @Test func timeline() {
        let t = report.series[0].timeline
        #expect(t.map(\.kind) == [.missing, .reply])
        #expect(t.map { $0.message.from?.name } == ["Tony Krowiak", "Halil Pasic"])
        #expect(t[1].inReplyTo == 1 && t[1].trailers == ["Acked-by"] && t[1].remarks == 3 && t[1].questions == 4)
    }

    @Test func markdownShowsTheAcceptanceItems() throws {
        let md = MarkdownRenderer().render(report)
        expectGolden(md, "vfio-ap-lockdep-review.md")
        guard let doc = try CMark.parse(md) else { return }
        #expect(doc.all("heading").map(\.plainText) == [
            "s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks", "Status", "The patch", "Review remarks",
            "On the patch as a whole", "drivers/s390/crypto/vfio_ap_ops.c", "Rule findings", "Open questions"])
        // No table: the trailers, files and timeline are lists; each finding is a paragraph of its own.
        #expect(doc.all("table").isEmpty)
        let items = doc.all("item").map(\.plainText)
        #expect(items.contains("Acked-by: Halil Pasic <pasic@xxxxxxxxxxxxx>, date unknown in "
                               + "<seed-reconstruction-vfio-ap-lockdep-review@example.invalid> · "
                               + "conditional: “With the one little thing I commented on below addressed:”"))
        let paragraphs = doc.all("paragraph").map(\.plainText)
        for head in ["F1 lock-window in vfio_ap_mdev_set_kvm · new lines 1062→1067 · warning, introduced",
                     "F3 lock-window in vfio_ap_mdev_unset_kvm · new lines 1147→1149 · warning, introduced",
                     "F5 refcount-balance in vfio_ap_mdev_unset_kvm · new line 1153 · note, introduced",
                     "F6 lock-window in vfio_ap_mdev_group_notifier · new line 1171 · warning, introduced"] {
            #expect(paragraphs.contains(head), "\(head)")
        }
        #expect(paragraphs.contains("Discussed in R2 (Halil Pasic, line 1039)."))
        #expect(!md.contains("&lt;") && !md.contains("&nbsp;") && !md.contains("\\\n"))
        let code = doc.all("code_block").map(\.text)
        #expect(code.contains { $0.contains("+1039 =>  *\n") })
        #expect(code.contains { $0.contains("+1145 => \t\tmatrix_mdev->kvm = NULL;\n") })
        let questions = doc.all("list").last?.children.map(\.plainText) ?? []
        #expect(questions.contains("“Why not set it up before setting the mask?” · Halil Pasic in R2 · no reply yet"))
        #expect(doc.all("html_inline").isEmpty && doc.all("html_block").isEmpty)
        #expect(!CMark.skeleton(doc).contains { $0.contains("ragged") })
    }

    @Test func otherFormatsGolden() throws {
        let json = try JSONRenderer().render(report)
        expectGolden(json, "vfio-ap-lockdep-review.json")
        #expect(try JSONRenderer.decode(json) == report)
        let sarif = try SARIFRenderer().render(report)
        expectGolden(sarif, "vfio-ap-lockdep-review.sarif")
        #expect(try SARIFValidator.validate(Data(sarif.utf8)) == [])
        let text = TextRenderer().render(report)
        expectGolden(text, "vfio-ap-lockdep-review.txt")
        #expect(text.split(separator: "\n").first == "drivers/s390/crypto/vfio_ap_ops.c:1062: warning: [lock-window] `matrix_dev->lock` is released at line 1062 and re-acquired at line 1067; the function did not take it (its caller holds it); shared state written on both sides of the window (`kvm->arch.crypto.pqap_hook` at 1061; `matrix_mdev->kvm` at 1068): other threads see a half-done update (in vfio_ap_mdev_set_kvm, introduced); see remark R2")
        // The refcounts balance across set_kvm and unset_kvm (a note): warnings, no error.
        #expect(!report.hasFindings(atOrAbove: .error))
        #expect(report.hasFindings(atOrAbove: .warning))
    }
}

/// `Samples/acme-adc-runtime-pm-thread.mbox`: the patch, a review and the author's answer.
@Suite struct AcmeSampleTests {
    static let sample = "acme-adc-runtime-pm-thread.mbox"
    let report: ReviewReport
    let patch: PatchReport
    init() throws {
        report = try acmeReport.get()
        patch = try #require(report.series.first?.patches.first)
    }

    @Test func patchFromItsOwnMail() {
        #expect(patch.source == .message)
        #expect(patch.title == "iio: adc: acme: add runtime PM and per-channel DT parsing")
        #expect(patch.message.messageID == "20240312091402.4711-1-jane@example.org")
        #expect(patch.message.from == Person(name: "Jane Doe", email: "jane@example.org"))
        #expect(patch.ownTrailers == [OwnTrailer(key: "Signed-off-by", value: "Jane Doe <jane@example.org>")])
        #expect(patch.trailers.isEmpty)
        #expect(patch.files.map(\.functions) == [["acme_adc_wait_ready", "acme_adc_read_raw", "acme_adc_parse_dt", "acme_adc_probe"]])
        #expect(patch.insertions == 36 && patch.deletions == 0)
    }

    @Test func remarksAnsweredByTheAuthor() throws {
        #expect(patch.remarks.map { "\($0.id) \($0.target.rawValue) \($0.newLine ?? 0)" } == ["R1 patch 0", "R2 line 32", "R3 line 89"])
        let r2 = patch.remarks[1], r3 = patch.remarks[2]
        #expect(r2.function == "acme_adc_wait_ready" && r3.function == "acme_adc_parse_dt")
        #expect(r2.answers.map { "\($0.message.from?.name ?? "") \($0.isAuthor)" } == ["Jane Doe true"])
        #expect(r2.answers.first?.excerpt.hasPrefix("Right, I missed that read_raw() checks st->enabled") == true)
        #expect(r3.answers.first?.excerpt == "Will do, thanks for the review.")
        #expect(patch.remarks[0].answers.isEmpty)
    }

    @Test func questionRepliedTo() {
        #expect(patch.questions.map(\.text) == ["Also, why does a helper called wait_ready() take a runtime PM reference?"])
        #expect(patch.questions.first?.isAnswered == true)
        #expect(patch.questions.first?.repliedBy.map { $0.message.from?.name } == ["Jane Doe"])
    }

    @Test func findingsLinkedToRemarks() throws {
        let leak = try #require(patch.findings.first { $0.rule == "refcount-balance" })
        #expect(leak.function == "acme_adc_parse_dt")
        #expect(leak.remarks == ["R3"])
        let window = try #require(patch.findings.first { $0.rule == "lock-window" })
        #expect(window.function == "acme_adc_wait_ready" && window.line == 32 && window.endLine == 35)
        #expect(window.remarks == ["R2"])
        // Hunk mode: read_raw's start is not shown, so its lock is held when the shown code starts
        // (no caller-held claim), and the window through acme_adc_wait_ready() is found. R2 names
        // acme_adc_read_raw(), so it discusses that finding too.
        #expect(patch.findings.map { "\($0.rule) \($0.function ?? "") \($0.line) \($0.severity.rawValue) \($0.remarks)" } == [
            "lock-window acme_adc_wait_ready 32 note [\"R2\"]", "lock-balance acme_adc_wait_ready 32 note [\"R2\"]",
            "lock-window acme_adc_read_raw 53 warning [\"R2\"]", "refcount-balance acme_adc_parse_dt 89 warning [\"R3\"]"])
        let callee = patch.findings[2]
        #expect(callee.change == .introduced)
        #expect(callee.message == "`st->lock`, held when the shown code starts at line 50 (the acquire is outside the shown hunk), is dropped and re-taken inside `acme_adc_wait_ready()` called at line 53 (released at line 32, re-acquired at line 35)")
        #expect(patch.remarks[1].findings == ["F1", "F2", "F3"])
    }

    @Test func timeline() {
        let t = report.series[0].timeline
        #expect(t.map(\.kind) == [.patch, .reply, .reply])
        #expect(t.map { $0.message.from?.name ?? "" } == ["Jane Doe", "Mark Reviewer", "Jane Doe"])
        #expect(t.map(\.inReplyTo) == [nil, 1, 2])
        #expect(t.map(\.remarks) == [0, 3, 0])
    }

    @Test func everyFormatGolden() throws {
        let md = MarkdownRenderer().render(report)
        expectGolden(md, "acme-adc-runtime-pm-thread.md")
        if let doc = try CMark.parse(md) {
            #expect(doc.all("heading").map(\.plainText) == [
                "iio: adc: acme: add runtime PM and per-channel DT parsing", "Status", "The patch", "Review remarks",
                "On the patch as a whole", "drivers/iio/adc/acme-adc.c", "Rule findings", "Open questions", "Thread timeline"])
            #expect(doc.all("html_inline").isEmpty && doc.all("html_block").isEmpty)
            #expect(!CMark.skeleton(doc).contains { $0.contains("ragged") })
        }
        let json = try JSONRenderer().render(report)
        expectGolden(json, "acme-adc-runtime-pm-thread.json")
        #expect(try JSONRenderer.decode(json) == report)
        let sarif = try SARIFRenderer().render(report)
        expectGolden(sarif, "acme-adc-runtime-pm-thread.sarif")
        #expect(try SARIFValidator.validate(Data(sarif.utf8)) == [])
        expectGolden(TextRenderer().render(report), "acme-adc-runtime-pm-thread.txt")
    }
}

/// `--tree Samples/tree`: remarks checked against the real file, whole functions analysed.
@Suite struct TreeModeTests {
    @Test func acmeWithItsSourceTree() throws {
        let tree = repoRoot.appendingPathComponent("Samples/tree").path
        var builder = ReportBuilder(findings: RuleFindings.source(engine: RuleEngine(), tree: tree))
        builder.treeRoot = tree
        let report = builder.build(input: "acme", threads: try loadThreads(AcmeSampleTests.sample))
        let p = try #require(report.series.first?.patches.first)
        #expect(p.remarks.map { $0.treeNote ?? "-" } == ["-", "the quoted lines match the tree at old line 26 (a blank line)",
                                                          "the quoted lines match the tree at old line 63 (a blank line)"])
        // With whole functions, the caller's window through acme_adc_wait_ready() is seen too.
        #expect(p.findings.map { "\($0.rule) \($0.function ?? "") \($0.line) \($0.change.rawValue)" } == [
            "lock-window acme_adc_wait_ready 32 introduced", "lock-balance acme_adc_wait_ready 32 introduced",
            "lock-window acme_adc_read_raw 53 introduced", "refcount-balance acme_adc_parse_dt 89 introduced"])
        // R2 names acme_adc_read_raw(): the window through the callee is linked to it.
        #expect(p.findings[2].remarks == ["R2"])
        #expect(p.findings[2].message.hasSuffix("`st->enabled` checked at line 49 under `st->lock` is not re-checked after the lock is re-taken (line 35 in `acme_adc_wait_ready`)"))
    }
}
