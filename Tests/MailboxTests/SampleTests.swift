// The project's motivating sample: Halil Pasic's review of the vfio-ap lockdep fix.
import Foundation
import Testing
@testable import Mailbox

@Suite("Sample")
struct SampleTests {
    @Test func vfioApLockdepReview() throws {
        let c = try MailReader.read(path: Paths.sample)
        #expect(c.isMbox == false)
        #expect(c.messages.count == 1)
        let m = c.messages[0]
        #expect(m.subject == "Re: [PATCH] s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks")
        #expect(m.subjectInfo == SubjectInfo(title: "s390/vfio-ap: fix circular lockdep when setting/clearing crypto masks", isReply: true, isPatch: true))
        #expect(m.from == Address(name: "Halil Pasic", email: "pasic@xxxxxxxxxxxxx"))
        #expect(m.to == [Address(name: "Tony Krowiak", email: "akrowiak@xxxxxxxxxxxxx")])
        #expect(m.cc.map(\.email) == ["linux-s390@xxxxxxxxxxxxxxx", "linux-kernel@xxxxxxxxxxxxxxx", "kvm@xxxxxxxxxxxxxxx", "stable@xxxxxxxxxxxxxxx"])
        #expect(m.date == nil)
        #expect(m.warnings == [ParseWarning(.missingDate, "no Date: header")])
        #expect(m.messageID == "seed-reconstruction-vfio-ap-lockdep-review@example.invalid")
        #expect(m.inReplyTo == "seed-reconstruction-vfio-ap-lockdep-patch@example.invalid")
        #expect(m.parentID == "seed-reconstruction-vfio-ap-lockdep-patch@example.invalid")
        #expect(m.trailers.count == 1)
        let t = try #require(m.trailers.first)
        #expect(t.key == "Acked-by")
        #expect(t.value == "Halil Pasic <pasic@xxxxxxxxxxxxx>")
        #expect(t.person == m.from)
        #expect(t.isOnBehalf == false)
        let lines = m.body.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[t.line] == "Acked-by: Halil Pasic <pasic@xxxxxxxxxxxxx>")
        // the quoted patch is in the body, with its four hunks
        #expect(lines.filter { $0.hasPrefix("> @@ -") }.map { $0.split(separator: " ").prefix(4).joined(separator: " ") } ==
                ["> @@ -1027,8 +1027,21", "> @@ -1043,9 +1056,17", "> @@ -1079,51 +1100,80", "> @@ -1258,8 +1308,7"])
        #expect(mimeShape(m.mime) == "text/plain[body]")
    }
}
