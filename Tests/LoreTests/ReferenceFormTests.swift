// The message-id forms users paste besides the bare id and lore links: b4's and mail searches'
// rfc822msgid:/msgid: prefixes, patchwork links (the patch's Message-ID in the URL),
// patch.msgid.link, a whole `Link:` trailer line; and the `all` inbox a list inbox falls back to.
import Foundation
@testable import Lore
import Testing

@Suite struct ReferenceFormTests {
    static let id = "20210719193503.793910-1-akrowiak@linux.ibm.com"

    @Test(arguments: [
        "msgid:20210719193503.793910-1-akrowiak@linux.ibm.com",
        "rfc822msgid:20210719193503.793910-1-akrowiak@linux.ibm.com",
        "RFC822MSGID:<20210719193503.793910-1-akrowiak@linux.ibm.com>",
        "  msgid: <20210719193503.793910-1-akrowiak@linux.ibm.com> ",
        "https://patch.msgid.link/20210719193503.793910-1-akrowiak@linux.ibm.com",
        "https://msgid.link/20210719193503.793910-1-akrowiak%40linux.ibm.com/",
        "Link: https://patch.msgid.link/20210719193503.793910-1-akrowiak@linux.ibm.com",
        "https://patchwork.kernel.org/project/linux-s390/patch/20210719193503.793910-1-akrowiak@linux.ibm.com/",
        "https://patchwork.kernel.org/project/linux-s390/patch/20210719193503.793910-1-akrowiak@linux.ibm.com/mbox/",
        "https://patchwork.ozlabs.org/project/netdev/cover/%3C20210719193503.793910-1-akrowiak@linux.ibm.com%3E/",
        "link: https://patchwork.kernel.org/project/kvm/patch/20210719193503.793910-1-akrowiak@linux.ibm.com/#24363447",
    ])
    func formsWithoutAnInboxGiveTheIDAndNoServer(input: String) throws {
        let reference = try ThreadReference(parsing: input)
        #expect(reference.messageID.value == Self.id)
        #expect(reference.server == nil)
        #expect(ThreadReference.looksLikeReference(input))
    }

    @Test(arguments: [
        ("Link: https://lore.kernel.org/r/20210719193503.793910-1-akrowiak@linux.ibm.com", "https://lore.kernel.org/all/%s"),
        ("Link: https://lore.kernel.org/linux-s390/20210719193503.793910-1-akrowiak@linux.ibm.com/ # v2", "https://lore.kernel.org/linux-s390/%s"),
        ("  LINK:https://lore.kernel.org/kvm/20210719193503.793910-1-akrowiak%40linux.ibm.com/T/#u", "https://lore.kernel.org/kvm/%s"),
    ])
    func pastedLinkTrailersKeepTheirInbox(line: String, mask: String) throws {
        let reference = try ThreadReference(parsing: line)
        #expect(reference.messageID.value == Self.id)
        #expect(reference.server?.midmask == mask)
    }

    @Test func linksWithoutAMessageIDAreRefusedWithAReason() {
        let cases = [
            ("https://patchwork.kernel.org/project/linux-s390/patch/12345678/", "names patch 12345678 by number"),
            ("https://patch.msgid.link/", "expected https://patch.msgid.link/MESSAGE-ID"),
            ("Link:", "nothing after 'Link:'"),
            ("msgid:", "empty message-id"),
        ]
        for (input, reason) in cases {
            do {
                _ = try ThreadReference(parsing: input)
                Issue.record("accepted \(input)")
            } catch {
                #expect(error.description.contains(reason), "\(input): \(error.description)")
            }
        }
        for no in ["Link: see the thread", "link:", "msgid", "Subject: a@b"] {
            #expect(!ThreadReference.looksLikeReference(no), "\(no)")
        }
    }

    @Test func aListInboxFallsBackToTheAllInboxOfItsServer() throws {
        #expect(try InboxServer(midmask: "https://lore.kernel.org/linux-iio/%s").allInbox?.midmask == "https://lore.kernel.org/all/%s")
        #expect(try InboxServer(midmask: "http://inbox.example.org:8080/pub/inboxes/kvm/%s").allInbox?.midmask
                == "http://inbox.example.org:8080/pub/inboxes/all/%s")
        #expect(try InboxServer(midmask: "https://lore.kernel.org/all/%s").allInbox == nil)
        #expect(try InboxServer(midmask: "https://inbox.example.org/%s").allInbox == nil)
        #expect(try InboxServer(midmask: "https://git.example/%s/").allInbox == nil)
        let pasted = try ThreadReference(parsing: "https://lore.kernel.org/linux-iio/\(Self.id)/")
        #expect(pasted.server?.allInbox?.threadURL(for: pasted.messageID) == "https://lore.kernel.org/all/\(Self.id)/t.mbox.gz")
    }
}
