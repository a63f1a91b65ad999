import Foundation
import Testing
import TestSupport
@testable import Report

@Suite struct RendererTests {
    let benign = fixtureReport(.benign)
    let hostile = fixtureReport(.hostile)

    /// The shape every fixture report must have, whatever the text in it.
    static let fixtureSkeleton = [
        "heading 1", "list 4",                           // title, facts
        "heading 2", "list 1",                           // status
        "heading 2", "list 1", "paragraph",              // the patch, diffstat
        "heading 2",                                     // review remarks
        "heading 3", "paragraph", "quote", " paragraph", " paragraph", "paragraph",   // R1, not answered
        "heading 3",                                     // file
        "paragraph", "code diff 4", "quote", " paragraph", "paragraph", "paragraph",  // R2
        "paragraph", "code diff 1", "quote", " paragraph", " paragraph", "paragraph", "paragraph", // R3
        "heading 2",                                     // findings
        "paragraph", "paragraph", "code c 2", "paragraph",  // F1 (the code's labels replace the explanation)
        "paragraph", "paragraph", "paragraph",           // F2
        "heading 2", "list 1",                           // questions
        "heading 2", "list 3",                           // timeline
    ]

    @Test func markdownGolden() {
        expectGolden(MarkdownRenderer().render(benign), "fixture.md")
        expectGolden(MarkdownRenderer().render(hostile), "fixture-hostile.md")
    }

    @Test func markdownStructureIsExactlyTheIntendedOne() throws {
        guard let doc = try CMark.parse(MarkdownRenderer().render(benign)) else { return }
        #expect(CMark.skeleton(doc) == Self.fixtureSkeleton)
        let headings = doc.all("heading").map(\.plainText)
        #expect(headings == ["s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks", "Status", "The patch",
                             "Review remarks", "On the patch as a whole", "drivers/s390/crypto/vfio_ap_ops.c",
                             "Rule findings", "Open questions", "Thread timeline"])
        #expect(doc.all("table").isEmpty)
        let status = try #require(doc.all("list").dropFirst().first)
        #expect(status.plainText == "Acked-by: Halil Pasic <pasic@example.com>, 2021-03-03 15:13 UTC in "
                + "<20210303162332.4d227dbe.pasic@linux.ibm.com> · "
                + "conditional: “With the one little thing I commented on below addressed:”")
        let code = doc.all("code_block")
        #expect(code.first?.text == "+1037     * 4. Sets the masks supplying the AP configuration to the KVM guest.\n"
                + "+1038     * 5. Sets the KVM pointer into @kvm so the vfio_ap driver can access it.\n"
                + "+1039 =>  *\n"
                + " 1042     * Note:\n")
        let links = doc.all("link")
        #expect(links.map { $0.attributes["destination"] ?? "" } == ["https://lore.kernel.org/all/20210216011547.22277-1-akrowiak@linux.ibm.com/"])
        #expect(doc.all("html_inline").isEmpty && doc.all("html_block").isEmpty)
    }

    @Test func hostileTextCannotChangeTheLayout() throws {
        let md = MarkdownRenderer().render(hostile)
        guard let doc = try CMark.parse(md) else { return }
        // The same shape, but R2's text, indented and column-aligned, is a code block in its quote.
        var expected = Self.fixtureSkeleton
        if let k = expected.indices.filter({ expected[$0] == "quote" }).dropFirst().first { expected[k + 1] = " code  12" }
        #expect(CMark.skeleton(doc) == expected)
        #expect(doc.all("html_inline").isEmpty && doc.all("html_block").isEmpty)
        #expect(doc.all("emph").isEmpty && doc.all("strikethrough").isEmpty)
        // Only the lore link: no link or image from mail text.
        #expect(doc.all("link").count == 1 && doc.all("image").isEmpty)
        #expect(doc.all("link").first?.attributes["destination"] == "https://lore.kernel.org/all/a%3Eb%3Cc%2F..%2F..%2Fx@y%29%20%5Bz%5D/")
        // The subject is the heading's text, exactly.
        #expect(doc.all("heading").first?.plainText == FixtureText.hostile.title)
        // Code keeps its content, escapes shown visibly.
        #expect(doc.all("code_block").first?.text.contains("~~~~ </details> ^[[2J\t<script>") == true)
        // No raw escape byte anywhere.
        #expect(!md.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(!md.contains("</details>") || !md.contains("\n</details>"))
        for line in md.split(separator: "\n") { #expect(!line.hasPrefix("<"), "raw HTML line: \(line)") }
    }

    @Test func jsonGoldenAndRoundTrip() throws {
        let json = try JSONRenderer().render(benign)
        expectGolden(json, "fixture.json")
        #expect(json.contains("\"schemaVersion\" : 2"))
        #expect(try JSONRenderer.decode(json) == benign)
        let hostileJSON = try JSONRenderer().render(hostile)
        #expect(!hostileJSON.unicodeScalars.contains { SafeText.isUnsafe($0) && $0 != "\n" })
        #expect(try JSONRenderer.decode(hostileJSON) == hostile)
    }

    @Test func sarifGoldenAndRequiredProperties() throws {
        let sarif = try SARIFRenderer().render(benign)
        expectGolden(sarif, "fixture.sarif")
        let problems = try SARIFValidator.validate(Data(sarif.utf8))
        #expect(problems == [])
        let log = SARIFRenderer().log(benign)
        let run = try #require(log.runs.first)
        #expect(run.tool.driver.rules.map(\.id) == ["lock-window", "refcount-balance", "review-remark"])
        #expect(run.results.map(\.ruleId) == ["lock-window", "refcount-balance", "review-remark", "review-remark"])
        // A remark is informational, and a result whose kind is not fail has level none (SARIF 3.27.9).
        #expect(run.results.map(\.level) == ["warning", "error", "none", "none"])
        #expect(run.results.map(\.kind) == [nil, nil, "informational", "informational"])
        for r in run.results where (r.kind ?? "fail") != "fail" { #expect(r.level == "none") }
        #expect(SARIFSchema.kindLevelProblems(Data(sarif.utf8)) == [])
        #expect(run.results[0].locations[0].physicalLocation.region.startLine == 1062)
        #expect(run.results[0].locations[0].physicalLocation.region.endLine == 1067)
        #expect(run.results[0].relatedLocations?.map(\.physicalLocation.region.startLine) == [1067, 1061])
        #expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri == "drivers/s390/crypto/vfio_ap_ops.c")
        #expect(try SARIFValidator.validate(Data(try SARIFRenderer().render(hostile).utf8)) == [])
    }

    @Test func textGoldenAndQuickfixForm() {
        let text = TextRenderer().render(benign)
        expectGolden(text, "fixture.txt")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "drivers/s390/crypto/vfio_ap_ops.c:1062: warning: [lock-window] matrix_dev->lock released at 1062 and re-acquired at 1067 (in vfio_ap_mdev_set_kvm, introduced); see remark R2, R3")
        // The whole remark on its line, not only its first line.
        #expect(lines.contains("drivers/s390/crypto/vfio_ap_ops.c:1039: note: [remark] Halil Pasic: Could for example a PQAP AQIC run across an unset matrix_mdev->kvm like "
                               + "this, in theory? I don't think it's likely to happen in the wild though. Why not set it up before setting the mask?"))
        let form = try! Regex("^[^:]+:[0-9]+: (note|warning|error): \\[[a-z-]+\\] .+$")
        for l in lines { #expect(l.wholeMatch(of: form) != nil, "\(l)") }
        let hostileText = TextRenderer().render(hostile)
        #expect(!hostileText.unicodeScalars.contains { $0.value == 0x1B })
        #expect(hostileText.split(separator: "\n").count == lines.count)
        let colored = TextRenderer(color: true).render(benign)
        #expect(colored.hasPrefix("\u{1B}[1mdrivers/s390/crypto/vfio_ap_ops.c:1062:\u{1B}[0m \u{1B}[1;35mwarning:\u{1B}[0m [lock-window]"))
    }

    @Test func failOnLevels() {
        #expect(benign.hasFindings(atOrAbove: .note))
        #expect(benign.hasFindings(atOrAbove: .error))
        var fixedOnly = benign
        fixedOnly.series[0].patches[0].findings = fixedOnly.series[0].patches[0].findings.map { var f = $0; f.change = .fixed; return f }
        #expect(!fixedOnly.hasFindings(atOrAbove: .note))
        #expect(!ReviewReport(input: "x").hasFindings(atOrAbove: .note))
    }
}
