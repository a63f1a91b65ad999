import Foundation
@testable import Lore
import Testing

@Suite struct MessageIDTests {
    static let id = "20210719193503.793910-1-akrowiak@linux.ibm.com"

    @Test(arguments: [
        "20210719193503.793910-1-akrowiak@linux.ibm.com",
        "  <20210719193503.793910-1-akrowiak@linux.ibm.com>  ",
        "<20210719193503.793910-1-akrowiak@linux.ibm.com> (Tony Krowiak's message)",
        "id:20210719193503.793910-1-akrowiak@linux.ibm.com",
        "id:<20210719193503.793910-1-akrowiak@linux.ibm.com>",
        "mid:20210719193503.793910-1-akrowiak%40linux.ibm.com",
    ])
    func plainFormsGiveTheBareIDAndNoServer(input: String) throws {
        let reference = try ThreadReference(parsing: input)
        #expect(reference.messageID.value == Self.id)
        #expect(reference.server == nil)
    }

    @Test(arguments: [
        ("https://lore.kernel.org/linux-s390/20210719193503.793910-1-akrowiak@linux.ibm.com/", "https://lore.kernel.org/linux-s390/%s"),
        ("https://lore.kernel.org/linux-s390/20210719193503.793910-1-akrowiak@linux.ibm.com/T/#u", "https://lore.kernel.org/linux-s390/%s"),
        ("https://lore.kernel.org/all/20210719193503.793910-1-akrowiak@linux.ibm.com/t/", "https://lore.kernel.org/all/%s"),
        ("https://lore.kernel.org/kvm/20210719193503.793910-1-akrowiak@linux.ibm.com/raw", "https://lore.kernel.org/kvm/%s"),
        ("https://lore.kernel.org/kvm/20210719193503.793910-1-akrowiak@linux.ibm.com/t.mbox.gz", "https://lore.kernel.org/kvm/%s"),
        ("https://lore.kernel.org/r/20210719193503.793910-1-akrowiak@linux.ibm.com", "https://lore.kernel.org/all/%s"),
        ("http://inbox.example.org:8080/pub/inboxes/kvm/20210719193503.793910-1-akrowiak%40linux.ibm.com/?q=x", "http://inbox.example.org:8080/pub/inboxes/kvm/%s"),
        ("https://lore.kernel.org/kvm/%3C20210719193503.793910-1-akrowiak@linux.ibm.com%3E/2-foo.patch", "https://lore.kernel.org/kvm/%s"),
        ("https://lore.kernel.org/pub/kvm/20210719193503.793910-1-akrowiak@linux.ibm.com/1.2-a.diff", "https://lore.kernel.org/pub/kvm/%s"),
        ("https://lore.kernel.org/pub/kvm/20210719193503.793910-1-akrowiak@linux.ibm.com", "https://lore.kernel.org/pub/kvm/%s"),
    ])
    func linksGiveTheIDAndTheirInbox(link: String, mask: String) throws {
        let reference = try ThreadReference(parsing: link)
        #expect(reference.messageID.value == Self.id)
        #expect(reference.server?.midmask == mask)
    }

    @Test func percentEncodedIDInALinkIsDecoded() throws {
        let reference = try ThreadReference(parsing: "https://lore.kernel.org/all/a%2Fb%25c%3Fd%23e%20f@x/T/")
        #expect(reference.messageID.value == "a/b%c?d#e f@x")
        #expect(reference.server?.threadURL(for: reference.messageID) == "https://lore.kernel.org/all/a%2Fb%25c%3Fd%23e%20f@x/t.mbox.gz")
    }

    @Test func escapingFollowsPublicInbox() throws {
        #expect(publicInboxEscape("a/b%c?d#e f@x") == "a%2Fb%25c%3Fd%23e%20f@x")
        #expect(publicInboxEscape("A-Za-z0-9-._~!$&'()*+,;=:@") == "A-Za-z0-9-._~!$&'()*+,;=:@")
        #expect(publicInboxEscape("<x\"y>[z]{w}|\\^`") == "%3Cx%22y%3E%5Bz%5D%7Bw%7D%7C%5C%5E%60")
        #expect(publicInboxEscape("ü@é") == "%C3%BC@%C3%A9")
        #expect(publicInboxEscape("../../etc/passwd") == "..%2F..%2Fetc%2Fpasswd")
        let id = try MessageID("../x")
        #expect(InboxServer.lore.threadURL(for: id) == "https://lore.kernel.org/all/..%2Fx/t.mbox.gz")
    }

    @Test func argumentsThatNameAThread() {
        for yes in ["a@b", "<a@b>", "id:a@b", "https://lore.kernel.org/all/a@b/", "mid:a%40b", " x.y-1@host.example "] {
            #expect(ThreadReference.looksLikeReference(yes), "\(yes)")
        }
        for no in ["thread.mbox", "./a@b.eml", "dir/x@y", "@b", "a@", "-", "patch.mbox.gz"] {
            #expect(!ThreadReference.looksLikeReference(no), "\(no)")
        }
    }

    @Test func fetchByReferenceResolvesTheServerFromTheEnvironment() throws {
        let thread = mainThread()
        let harness = try Harness { target, _ in PublicInbox.reply(target) }
        let id = try #require(thread.messageIDs.first)
        let env = ["LKML_REVIEW_LORE": harness.server.base + "/" + thread.inbox + "/"]
        let result = try harness.fetcher().fetch(try ThreadReference(parsing: "<\(id)>"), environment: env)
        #expect(result.messageCount == thread.messageIDs.count)
        #expect(harness.server.requests == ["/\(thread.inbox)/\(publicInboxEscape(id))/t.mbox.gz"])
    }

    @Test func badInputIsRefusedWithAReason() {
        for input in ["", "   ", "<>", "<unclosed@x", "id:", "a\nb@x", "a\u{0}b@x", "https://lore.kernel.org/", "https://lore.kernel.org/all/",
                      "https://lore.kernel.org", "https://user@/x/y/", String(repeating: "a", count: 1200) + "@x"] {
            #expect(throws: LoreError.self, "\(input.debugDescription)") { try ThreadReference(parsing: input) }
        }
        do {
            _ = try ThreadReference(parsing: "<abc@x")
            Issue.record("accepted an unclosed <")
        } catch {
            #expect(error.description == "not a message-id or public-inbox link: \"<abc@x\": '<' without a closing '>'")
        }
    }

    @Test func serverChoiceOrder() throws {
        let plain = try ThreadReference(parsing: "x@y")
        let pasted = try ThreadReference(parsing: "https://mirror.example/lkml/x@y/")
        let env = ["LKML_REVIEW_LORE": "https://env.example/all/"]
        let git: () -> String? = { "https://git.example/%s/" }
        #expect(try InboxServer.resolve(reference: pasted, option: "https://opt.example/", environment: env, gitMidmask: git).server.midmask
                == "https://mirror.example/lkml/%s")
        #expect(try InboxServer.resolve(reference: plain, option: "https://opt.example", environment: env, gitMidmask: git).server.midmask
                == "https://opt.example/%s")
        #expect(try InboxServer.resolve(reference: plain, option: nil, environment: env, gitMidmask: git).server.midmask
                == "https://env.example/all/%s")
        let fromGit = try InboxServer.resolve(reference: plain, option: nil, environment: [:], gitMidmask: git)
        #expect(fromGit.server.midmask == "https://git.example/%s/")
        #expect(fromGit.source == .gitConfig)
        #expect(fromGit.server.threadURL(for: plain.messageID) == "https://git.example/x@y/t.mbox.gz")
        #expect(try InboxServer.resolve(reference: plain, option: nil, environment: [:], gitMidmask: { nil }).server == .lore)
        #expect(InboxServer.lore.threadURL(for: plain.messageID) == "https://lore.kernel.org/all/x@y/t.mbox.gz")
        for bad in ["ftp://lore.kernel.org/all/", "file:///etc/", "https:///all/", "https://a/%s/%s", "https://a/b?c", "lore.kernel.org/all"] {
            #expect(throws: LoreError.self, "\(bad)") { try InboxServer(midmask: bad) }
        }
    }

    @Test func cacheFileNamesCannotLeaveTheCacheFolder() throws {
        let cache = ThreadCache(directory: "/tmp/cache-test/")
        #expect(cache.directory == "/tmp/cache-test")
        let hostile = ["../../etc/passwd", "..", ".", "/etc/passwd", ".hidden@x", "-rf@x", "a/b%c?d#e f@x",
                       "ü\u{202e}@x", String(repeating: "../", count: 300), "x@y"]
        var names = Set<String>()
        for value in hostile {
            let id = try MessageID(value)
            let name = cache.fileName(for: id)
            #expect(!name.contains("/"))
            #expect(!name.hasPrefix("."))
            #expect(!name.hasPrefix("-"))
            #expect(name.hasSuffix(".mbox"))
            #expect(name.utf8.count <= 60 + 1 + 16 + 5)
            #expect(name.utf8.allSatisfy { $0 < 0x80 })
            #expect(cache.path(for: id) == "/tmp/cache-test/" + name)
            names.insert(name)
        }
        #expect(names.count == hostile.count)
        #expect(cache.fileName(for: try MessageID("x@y")) == "x@y-" + String(SHA256.hex(Array("x@y".utf8)).prefix(16)) + ".mbox")
    }

    @Test func sha256KnownAnswers() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func mboxSeparatorsFollowGitsRule() {
        func count(_ text: String) -> Int {
            countMboxMessages(Array(text.utf8))
        }
        #expect(count("From mboxrd@z Thu Jan  1 00:00:00 1970\nA: b\n\nbody\n") == 1)
        #expect(count("From x Mon Jul 19 19:35:03 2021\r\nA: b\r\n\r\nFrom me to you: hi\n>From x Mon Jul 19 19:35:03 2021\n") == 1)
        #expect(count("From 1234abcd Mon Sep 17 00:00:00 2001\nX\nFrom a@b Thu Jan  1 00:00:00 1970\n") == 2)
        #expect(count("From x Mon Jul 19 19:35:03 1970\nFrom x Mon Jul 19 19:35:03 0089\nFrom short 1:2\n") == 1)
        #expect(count("") == 0)
    }

    @Test func fileCountIsRightAcrossReadChunks() throws {
        // Messages of odd sizes so that separators straddle the 1 MiB read boundaries.
        var mbox: [UInt8] = []
        var messages = 0
        var size = 1
        while mbox.count < 3 << 20 {
            mbox += Array("From mboxrd@z Thu Jan  1 00:00:00 1970\nSubject: m\(messages)\n\n".utf8)
            mbox += [UInt8](repeating: UInt8(ascii: "x"), count: size) + [UInt8(ascii: "\n")]
            mbox += Array(">From me Thu Jan  1 00:00:00 1970\n\n".utf8)
            messages += 1
            size = (size * 7 + 13) % 90_001
        }
        let path = FileManager.default.temporaryDirectory.path + "/lore-count-\(UUID().uuidString).mbox"
        try Data(mbox).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (counted, bytes) = try countMboxMessages(atPath: path)
        #expect(counted == messages)
        #expect(bytes == Int64(mbox.count))
        #expect(countMboxMessages(mbox) == messages)
    }
}

/// Message-IDs in domains reserved for examples and tests are never fetched by default.
@Suite struct ReservedDomainTests {
    @Test func reservedDomains() throws {
        for id in ["seed@example.invalid", "a@example.org", "b@example.com", "c@mail.example.net", "d@host.test",
                   "e@localhost", "f@box.localhost", "g@x.example", "h@EXAMPLE.ORG", "i@example.org."] {
            #expect(MessageID.isReservedDomain(of: id), "\(id)")
            #expect(try MessageID(id).isInReservedDomain, "\(id)")
        }
        for id in ["20240312091402.4711-1-jane@kernel.org", "x@examples.org", "y@invalid.kernel.org", "z@testing.net",
                   "no-at-sign", "w@", "v@linux.dev"] {
            #expect(!MessageID.isReservedDomain(of: id), "\(id)")
        }
    }
}
