// A lone reply (one saved mail whose patch is not in the input): `review` fetches the thread of its
// parent by default from a public-inbox, here a real HTTP server on 127.0.0.1 that stops when the
// test ends; never for an archive, a reserved-domain Message-ID, --offline, LKML_REVIEW_OFFLINE or
// --no-thread; a failed fetch is a note, never an error. On the corpus threads: the figures of
// issue 17 (each reply alone, network off, and with its thread served by the test server).
import Foundation
import Mailbox
import Testing
import TestSupport

final class LoneReplyCLITests {
    let dir: URL
    /// The acme sample thread with its example.org Message-IDs moved to a domain that is not
    /// reserved (the test server is the only one ever asked).
    static let domain = "acme-adc.lkml-review-tests.net"
    static let patchID = "20240312091402.4711-1-jane@\(domain)"
    static let replyID = "ZfB2mark-review-1@\(domain)"

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("lkml-review-lone-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var cache: String { dir.appendingPathComponent("cache").path }

    /// The raw messages of an mbox, mboxrd unescaped.
    static func rawMessages(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var splitter = MboxSplitter(source: MemorySource(bytes))
        var out: [[UInt8]] = []
        while let m = try splitter.next() { out.append(m.bytes) }
        return out
    }

    /// The acme thread (not reserved) as an mbox, and its review reply alone as an .eml.
    func acme() throws -> (thread: String, reply: String, mbox: [UInt8]) {
        let text = try String(contentsOf: CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox"), encoding: .utf8)
            .replacingOccurrences(of: "@example.org>", with: "@\(Self.domain)>")
            .replacingOccurrences(of: "@example.net>", with: "@\(Self.domain)>")
        let mbox = Array(text.utf8)
        let thread = dir.appendingPathComponent("acme.mbox").path
        try Data(mbox).write(to: URL(fileURLWithPath: thread))
        let reply = try #require(try Self.rawMessages(mbox).first {
            MailReader.parse($0, name: "m").messages.first?.messageID == Self.replyID
        })
        let eml = dir.appendingPathComponent("reply.eml").path
        try Data(reply).write(to: URL(fileURLWithPath: eml))
        return (thread, eml, mbox)
    }

    static func inbox(serving mbox: [UInt8], status: Int? = nil) throws -> TestServer {
        let body = try gzipCompress(mbox)
        return try TestServer { target, _ in
            if let status { return .status(status) }
            return target == "/all/\(patchID)/t.mbox.gz" ? .gzip(body) : .status(404, "Not Found")
        }
    }

    @Test func aSavedReplyGetsItsThreadByDefault() throws {
        guard let exe = CLI.binaryOrSkip("aSavedReplyGetsItsThreadByDefault") else { return }
        let (thread, reply, mbox) = try acme()
        let server = try Self.inbox(serving: mbox)
        defer { server.stop() }
        let whole = try CLI.run(exe, ["--format", "text", thread])
        #expect(whole.status == 0)
        let lone = try CLI.run(exe, ["--format", "text", "--cache-dir", cache, reply], environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
        #expect(lone.status == 0, "\(lone.stderr)")
        // the same review as the whole thread's: the quotes aligned with the patch
        #expect(lone.stdout == whole.stdout)
        #expect(server.requests == ["/all/\(Self.patchID)/t.mbox.gz"])
        // one line on standard error, saying what was fetched
        let lines = lone.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(lone.stderr)")
        #expect(lines.first?.contains("of the thread of <\(Self.patchID)> from \(server.base)") == true, "\(lone.stderr)")
        // --thread asks for the same (and says so)
        let asked = try CLI.run(exe, ["--format", "text", "--thread", "--cache-dir", cache + "2", reply],
                                environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
        #expect(asked.stdout == whole.stdout)
        #expect(asked.stderr.hasPrefix("lkml-review: --thread: "), "\(asked.stderr)")
    }

    /// A reply piped in (mutt's pipe-message, `lkml-review < reply.eml`, or `-`) is a saved reply
    /// too: its thread is fetched by default and the review is the whole thread's.
    @Test func aPipedReplyGetsItsThreadByDefault() throws {
        guard let exe = CLI.binaryOrSkip("aPipedReplyGetsItsThreadByDefault") else { return }
        let (thread, reply, mbox) = try acme()
        let server = try Self.inbox(serving: mbox)
        defer { server.stop() }
        let whole = try CLI.run(exe, ["--format", "text", thread])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: reply))
        for (k, args) in [["--format", "text"], ["--format", "text", "-"]].enumerated() {
            let piped = try CLI.run(exe, args + ["--cache-dir", cache + "-piped\(k)"], stdin: bytes,
                                    environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
            #expect(piped.status == 0, "\(piped.stderr)")
            #expect(piped.stdout == whole.stdout, "\(args)")
            #expect(piped.stderr.contains("of the thread of <\(Self.patchID)> from \(server.base)"), "\(piped.stderr)")
        }
        #expect(server.requests == Array(repeating: "/all/\(Self.patchID)/t.mbox.gz", count: 2))
        // A whole thread piped in is complete: nothing is fetched, the review is the same.
        let piped = try CLI.run(exe, ["--format", "text"], stdin: Data(mbox), environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
        #expect(piped.stdout == whole.stdout && piped.stderr.isEmpty, "\(piped.stderr)")
        #expect(server.requests.count == 2)
    }

    @Test func offlineNoThreadAndReservedDomainsFetchNothing() throws {
        guard let exe = CLI.binaryOrSkip("offlineNoThreadAndReservedDomainsFetchNothing") else { return }
        let (_, reply, mbox) = try acme()
        let server = try Self.inbox(serving: mbox)
        defer { server.stop() }
        let lore = ["LKML_REVIEW_LORE": server.base + "/all/"]
        let runs = [
            try CLI.run(exe, ["--format", "text", "--offline", "--cache-dir", cache, reply], environment: lore),
            try CLI.run(exe, ["--format", "text", "--cache-dir", cache, reply], environment: lore.merging(["LKML_REVIEW_OFFLINE": "1"]) { $1 }),
            try CLI.run(exe, ["--format", "text", "--no-thread", "--cache-dir", cache, reply], environment: lore),
            // the sample as it is: its parent is <…@example.org>, a reserved domain
            try CLI.run(exe, ["--format", "text", "--cache-dir", cache, CLI.repoRoot.appendingPathComponent("Samples/acme-adc-runtime-pm-thread.mbox").path],
                        environment: lore),
        ]
        for r in runs {
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.isEmpty, "\(r.stderr)")
        }
        #expect(runs[0].stdout == runs[1].stdout && runs[1].stdout == runs[2].stdout)
        #expect(server.requests.isEmpty)
        // a saved reply in a reserved domain
        let sample = try CLI.run(exe, ["--format", "text", "--cache-dir", cache, CLI.sample], environment: lore)
        #expect(sample.status == 0 && sample.stderr.isEmpty, "\(sample.stderr)")
        #expect(server.requests.isEmpty)
    }

    @Test func anArchiveIsNeverCompleted() throws {
        guard let exe = CLI.binaryOrSkip("anArchiveIsNeverCompleted") else { return }
        let (_, _, mbox) = try acme()
        let server = try Self.inbox(serving: mbox)
        defer { server.stop() }
        // nine copies of the reply under other Message-IDs: more than a few saved mails
        let raw = try #require(try Self.rawMessages(mbox).first { MailReader.parse($0, name: "m").messages.first?.messageID == Self.replyID })
        var archive: [UInt8] = []
        for k in 0..<9 {
            let text = String(decoding: raw, as: UTF8.self).replacingOccurrences(of: "<\(Self.replyID)>", with: "<copy-\(k)-\(Self.replyID)>")
            archive += Array("From mboxrd@z Thu Jan  1 00:00:00 1970\n".utf8) + Array(text.utf8) + [0x0A]
        }
        let path = dir.appendingPathComponent("archive.mbox").path
        try Data(archive).write(to: URL(fileURLWithPath: path))
        let r = try CLI.run(exe, ["--format", "text", "--cache-dir", cache, path], environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(server.requests.isEmpty)
    }

    @Test func aFailedFetchIsANoteAndTheReviewGoesOn() throws {
        guard let exe = CLI.binaryOrSkip("aFailedFetchIsANoteAndTheReviewGoesOn") else { return }
        let (_, reply, mbox) = try acme()
        let server = try Self.inbox(serving: mbox, status: 404)
        defer { server.stop() }
        let offline = try CLI.run(exe, ["--format", "text", "--no-thread", reply])
        let r = try CLI.run(exe, ["--format", "text", "--cache-dir", cache, reply], environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == offline.stdout)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("numbered from the quotes alone"), "\(r.stderr)")
    }

    // MARK: - the corpus figures

    /// A remark as the JSON report shows it.
    struct Shown: Hashable, CustomStringConvertible {
        var file: String?
        var side: String?
        var old: Int?
        var new: Int?
        var approximate: Bool
        var description: String { "\(file ?? "?"):\(old.map(String.init) ?? "-")/\(new.map(String.init) ?? "-") \(side ?? "?")" }
        func samePlace(_ o: Shown) -> Bool {
            guard side == o.side, old == o.old, new == o.new, old != nil || new != nil else { return false }
            guard let a = file, let b = o.file else { return false }
            return a == b || a.hasSuffix("/" + b) || b.hasSuffix("/" + a)
        }
    }

    /// Line remarks of a JSON report by (Message-ID, text).
    static func remarks(_ json: String) -> [String: Shown] {
        guard let data = json.data(using: .utf8), let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let series = root["series"] as? [[String: Any]] else { return [:] }
        var out: [String: Shown] = [:]
        for s in series {
            for p in (s["patches"] as? [[String: Any]] ?? []) + [(s["coverLetter"] as? [String: Any]) ?? [:]] {
                for r in p["remarks"] as? [[String: Any]] ?? [] where r["target"] as? String == "line" {
                    let id = (r["message"] as? [String: Any])?["messageID"] as? String ?? "?"
                    let key = id + "\u{0}" + (r["text"] as? String ?? "")
                    out[key] = Shown(file: r["file"] as? String, side: r["side"] as? String, old: r["oldLine"] as? Int,
                                     new: r["newLine"] as? Int, approximate: r["isApproximate"] as? Bool ?? false)
                }
            }
        }
        return out
    }

    struct Figure: CustomStringConvertible {
        var placed = 0, same = 0
        var description: String {
            "\(same)/\(placed) = \(String(format: "%.1f", placed == 0 ? 100 : Double(same) * 100 / Double(placed)))% the same line"
        }
    }

    /// Issue 17: each reply of the corpus threads (erofs, fpga, sparse `threads/*.mbox`) reviewed
    /// alone through the binary, network off and with the thread served by a 127.0.0.1
    /// public-inbox (default fetching on), against the whole thread's review.
    @Test func corpusRepliesAloneOfflineAndWithTheThreadServed() throws {
        guard let exe = CLI.binaryOrSkip("corpusRepliesAloneOfflineAndWithTheThreadServed") else { return }
        let lists = CLI.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/lists")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: lists.path) else {
            print("lone-reply corpus figures skipped: no corpus at \(lists.path)")
            return
        }
        // The thread of any of its Message-IDs, as public-inbox serves it.
        var threads: [(path: String, raws: [[UInt8]], ids: [String?], gzip: [UInt8])] = []
        for list in names.sorted() {
            let folder = lists.appendingPathComponent(list).appendingPathComponent("threads")
            for file in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where file.hasSuffix(".mbox") {
                let path = folder.appendingPathComponent(file).path
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                let raws = try Self.rawMessages(bytes)
                threads.append((path, raws, raws.map { MailReader.parse($0, name: "m").messages.first?.messageID }, try gzipCompress(bytes)))
            }
        }
        let byID: [String: Int] = {
            var m: [String: Int] = [:]
            for (k, t) in threads.enumerated() { for id in t.ids { if let id, m[id] == nil { m[id] = k } } }
            return m
        }()
        let gz = threads.map(\.gzip)
        let server = try TestServer { target, _ in
            let parts = target.split(separator: "/")
            guard parts.count == 3, parts[0] == "all", parts[2] == "t.mbox.gz", let id = parts[1].removingPercentEncoding,
                  let k = byID[id] else { return .status(404, "Not Found") }
            return .gzip(gz[k])
        }
        defer { server.stop() }
        var offline = Figure(), served = Figure()
        var replies = 0
        for (t, thread) in threads.enumerated() {
            let whole = try CLI.run(exe, ["--format", "json", "--no-rules", thread.path])
            let expected = Self.remarks(whole.stdout).filter { !$0.value.approximate }
            guard !expected.isEmpty else { continue }
            for (k, raw) in thread.raws.enumerated() {
                guard let id = thread.ids[k] else { continue }
                let mine = expected.filter { $0.key.hasPrefix(id + "\u{0}") }
                guard !mine.isEmpty else { continue }
                replies += 1
                let eml = dir.appendingPathComponent("r\(t)-\(k).eml").path
                try Data(raw).write(to: URL(fileURLWithPath: eml))
                let off = try CLI.run(exe, ["--format", "json", "--no-rules", eml], environment: ["LKML_REVIEW_OFFLINE": "1"])
                let on = try CLI.run(exe, ["--format", "json", "--no-rules", "--cache-dir", cache, eml],
                                     environment: ["LKML_REVIEW_LORE": server.base + "/all/"])
                // alone and offline, a reply that quotes no hunk header is no review (status 2): no line
                #expect(on.status == 0, "\(eml): \(on.stderr)")
                #expect(off.status == 0 || off.stderr.contains("no patch and no reply quoting a patch"), "\(eml): \(off.stderr)")
                let alone = Self.remarks(off.stdout), fetched = Self.remarks(on.stdout)
                for (key, want) in mine {
                    offline.placed += 1; served.placed += 1
                    if alone[key].map({ $0.samePlace(want) }) == true { offline.same += 1 }
                    if fetched[key].map({ $0.samePlace(want) }) == true { served.same += 1 } else {
                        print("  served thread differs: \((thread.path as NSString).lastPathComponent) <\(id)>: "
                              + "thread \(want), alone \(fetched[key]?.description ?? "none")")
                    }
                }
            }
        }
        print("lone replies of the corpus threads (\(replies) replies): network off \(offline); thread served on 127.0.0.1 \(served)")
        #expect(served.same == served.placed)
        #expect(Double(offline.same) >= 0.8 * Double(offline.placed))
    }
}
