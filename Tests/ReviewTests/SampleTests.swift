import Foundation
import Testing
import Mailbox
import Patch
@testable import Review

@Suite struct SampleTests {
    let analysis: ReviewAnalysis

    init() throws {
        let msg = try loadEML(repoRoot.appendingPathComponent("Samples/vfio-ap-lockdep-review.eml"))
        analysis = ReviewParser.analyze(msg)
    }

    @Test func quotedDiffHasFourHunks() {
        let d = analysis.quotedDiff
        #expect(d.hunks.map { $0.header ?? "" } == ["-1027,8 +1027,21", "-1043,9 +1056,17", "-1079,51 +1100,80", "-1258,8 +1308,7"])
        #expect(d.hunks.allSatisfy { $0.file == "drivers/s390/crypto/vfio_ap_ops.c" })
        #expect(d.insertions == 84)
        #expect(d.deletions == 35)
        #expect(d.hunks.allSatisfy { $0.countsAgree })
    }

    @Test func pqapRemarkAttachesToNewLine1039() throws {
        let r = try #require(analysis.remarks.first { $0.text.hasPrefix("Could for example a PQAP AQIC run across") })
        #expect(r.target == .line)
        let a = try #require(r.anchor)
        #expect(a.newLine == 1039)
        #expect(a.oldLine == nil)
        #expect(a.side == .added)
        #expect(a.text == " *")
        #expect(a.function == "vfio_ap_mdev_set_kvm")
        #expect(a.file == "drivers/s390/crypto/vfio_ap_ops.c")
        #expect(a.hunkHeader == "-1027,8 +1027,21")
        #expect(r.answers == "Tony Krowiak")
    }

    @Test func unsetRemarkAttachesToNewLine1145() throws {
        let r = try #require(analysis.remarks.first { $0.text.hasPrefix("I think if there were two threads dong the unset") })
        let a = try #require(r.anchor)
        #expect(a.newLine == 1145)
        #expect(a.text == "\t\tmatrix_mdev->kvm = NULL;")
        #expect(a.function == "vfio_ap_mdev_unset_kvm")
        #expect(a.side == .added)
        #expect(r.text.hasSuffix("vfio_ap_mdev_remove()..."))
        #expect(r.span?.text.hasSuffix("matrix_mdev->kvm = NULL;") == true)
    }

    @Test func remarksAboveTheDiffAreOnThePatch() {
        let above = analysis.remarks.filter { $0.firstLine < 40 }
        #expect(above.count == 2)
        #expect(above.allSatisfy { $0.target == .patch })
        #expect(above[0].text == "With the one little thing I commented on below addressed:")
        #expect(above[1].text.hasPrefix("This solution probably ain't a perfect one"))
        #expect(above[1].text.hasSuffix("I think we should move forward with this. Any objections?"))
        #expect(analysis.remarks.count == 4)
    }

    @Test func twoLineAttributionGivesDepthOneToTony() throws {
        #expect(analysis.attributions.count == 1)
        let a = try #require(analysis.attributions.first)
        #expect(a.firstLine == 0 && a.lineCount == 2)
        #expect(a.name == "Tony Krowiak")
        #expect(a.email == "akrowiak@xxxxxxxxxxxxx")
        #expect(a.date == "Mon, 15 Feb 2021 20:15:47 -0500")
        #expect(analysis.author(ofDepth: 1)?.name == "Tony Krowiak")
        #expect(!analysis.remarks.contains { $0.text.contains("wrote:") })
        #expect(analysis.blocks.first?.kind == .attribution)
        #expect(analysis.blocks.contains { $0.kind == .trailer && $0.text.hasPrefix("Acked-by: Halil Pasic") })
    }
}
