// `review --format reply` on the seed and on three real threads of the shared corpus (issue 16's
// acceptance): a series (an mbox of several replies), a single patch with several reviewers (whose
// Cc holds non-ASCII names: RFC 2047), and a small patch with findings. Each output is checked
// line by line (prose at most 78 columns, quoted patch lines excepted; no HTML entity; no
// Markdown), its headers as RFC 5322 wants them (7-bit, folded before 78 columns, a valid name
// and a continuation on each line, Subject / In-Reply-To / References of a reply), and git's own
// `git mailinfo` reads each message back as a reply: its subject decoded, the quoted hunks in its
// message text and no patch.
//
// The goldens are structural, not the output itself: a reply quotes the patch mail, and corpus mail
// is not copied into the repository. Each golden holds, per message, the headers that say what it
// answers (Subject, In-Reply-To, References), the quoted file and hunk headers, the first line of
// each finding, and the body's line count; then the output's total line and byte counts. So a
// change in what is quoted, where a finding goes or how the text wraps shows in the golden.
// Two threads are cut from the lists' all.mbox at run time (the messages whose headers name the
// thread's root Message-ID); the series is a thread file as it is. Skips, printing why, when the
// corpus or git is absent.
import Foundation
import Testing
import TestSupport

final class ReplyCorpusTests {
    static var corpus: URL { CLI.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus") }
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(".golden")
    static let separator = "From mboxrd@z Thu Jan  1 00:00:00 1970"
    let temp: TempFolder

    init() throws { temp = try TempFolder("lkml-review-reply-corpus") }

    /// The corpus threads: a golden name, the list, and the root Message-ID to cut from all.mbox.
    static let threads: [(name: String, list: String, root: String, replies: Int)] = [
        // [RFC PATCH v2 0/9] fpga: dfl: fix kernel warning on port release/assign for SRIOV (series;
        // patch 5/9 had a third reply, for a held-at-return that braces matched across hidden lines
        // made up: gone with them)
        ("fpga-dfl-series", "linux-fpga.vger.kernel.org.0", "20240409233942.828440-1-peter.colberg@intel.com", 2),
        // [PATCH] bus: Make remove callback return void (one patch, seven reviewers, non-ASCII Cc names)
        ("bus-remove-void", "linux-fpga.vger.kernel.org.0", "20210706095037.1425211-1-u.kleine-koenig@pengutronix.de", 1),
        // [PATCH net-next] net: add annotation for sock_{lock,unlock}_fast (lock-balance findings)
        ("sock-lock-fast", "linux-sparse.vger.kernel.org.0", "95cf587fe96127884e555f695fe519d50e63cc17.1605522868.git.pabeni@redhat.com", 1),
    ]

    // MARK: The tests

    @Test func seed() throws {
        guard let exe = CLI.binaryOrSkip("ReplyCorpusTests.seed") else { return }
        try check(exe, input: CLI.sample, golden: "reply-seed", replies: 1)
    }

    @Test(arguments: [0, 1, 2]) func corpusThread(_ k: Int) throws {
        let t = Self.threads[k]
        guard let exe = CLI.binaryOrSkip("ReplyCorpusTests.\(t.name)") else { return }
        let all = Self.corpus.appendingPathComponent("lists/\(t.list)/all.mbox")
        guard FileManager.default.fileExists(atPath: all.path) else {
            print("ReplyCorpusTests.\(t.name): skipped: no corpus at \(all.path)")
            return
        }
        let thread = try Self.cut(all, root: t.root)
        #expect(thread.count >= 3, "\(t.name): \(thread.count) messages cut")
        let path = temp.url.appendingPathComponent("\(t.name).mbox").path
        try Data(thread.joined()).write(to: URL(fileURLWithPath: path))
        try check(exe, input: path, golden: "reply-\(t.name)", replies: t.replies)
    }

    // MARK: Checking one output

    func check(_ exe: String, input: String, golden: String, replies: Int,
               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try CLI.run(exe, ["review", "--format", "reply", input], environment: ["LKML_REVIEW_OFFLINE": "1"])
        #expect(r.status == 0, "\(golden): \(r.stderr)", sourceLocation: sourceLocation)
        let messages = Self.split(r.stdout)
        #expect(messages.count == replies, "\(golden): \(messages.count) replies", sourceLocation: sourceLocation)
        var structure: [String] = []
        for (i, m) in messages.enumerated() {
            let (headers, body) = try #require(Self.headersAndBody(m), "\(golden) #\(i + 1): no blank line after the headers",
                                               sourceLocation: sourceLocation)
            Self.checkHeaders(headers, "\(golden) #\(i + 1)", sourceLocation: sourceLocation)
            Self.checkBody(body, "\(golden) #\(i + 1)", sourceLocation: sourceLocation)
            try mailinfo(m, body: body, "\(golden) #\(i + 1)", sourceLocation: sourceLocation)
            structure.append("== message \(i + 1)")
            for h in Self.unfolded(headers) where ["subject", "in-reply-to", "references"].contains(Self.name(h).lowercased()) {
                structure.append(h)
            }
            for l in body where l.hasPrefix("> diff --git ") || l.hasPrefix("> @@ ") || Self.isFindingHead(l) { structure.append(l) }
            structure.append("body lines: \(body.count)")
        }
        structure.append("== output: \(r.stdout.split(separator: "\n", omittingEmptySubsequences: false).count - 1) lines, \(r.stdout.utf8.count) bytes")
        Self.expectGolden(structure.joined(separator: "\n") + "\n", golden + ".txt", sourceLocation: sourceLocation)
        // The same output again.
        #expect(try CLI.run(exe, ["review", "--format", "reply", input], environment: ["LKML_REVIEW_OFFLINE": "1"]).stdout == r.stdout,
                sourceLocation: sourceLocation)
    }

    static func isFindingHead(_ line: String) -> Bool {
        ["Error (", "Warning (", "Note ("].contains { line.hasPrefix($0) }
    }

    static func checkHeaders(_ headers: [String], _ what: String, sourceLocation: SourceLocation) {
        var names: [String: Int] = [:]
        for (k, h) in headers.enumerated() {
            #expect(h.utf8.count <= 78, "\(what): header line over 78 columns: \(h)", sourceLocation: sourceLocation)
            #expect(h.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 }, "\(what): not 7-bit printable: \(h)",
                    sourceLocation: sourceLocation)
            if h.first == " " || h.first == "\t" {
                #expect(k > 0, "\(what): continuation without a header", sourceLocation: sourceLocation)
                #expect(!h.allSatisfy { $0 == " " || $0 == "\t" }, "\(what): blank continuation", sourceLocation: sourceLocation)
                continue
            }
            let name = Self.name(h)
            #expect(!name.isEmpty && h.dropFirst(name.count).hasPrefix(":"), "\(what): no header name: \(h)", sourceLocation: sourceLocation)
            #expect(name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }, "\(what): bad header name \(name)",
                    sourceLocation: sourceLocation)
            names[name.lowercased(), default: 0] += 1
        }
        for single in ["subject", "to", "cc", "in-reply-to", "references", "mime-version", "content-type", "content-transfer-encoding"] {
            #expect((names[single] ?? 0) <= 1, "\(what): \(single) given twice", sourceLocation: sourceLocation)
        }
        let full = unfolded(headers)
        let subject = full.first { name($0).lowercased() == "subject" }
        #expect(subject?.hasPrefix("Subject: Re: ") == true, "\(what): \(subject ?? "no Subject")", sourceLocation: sourceLocation)
        let parent = full.first { name($0).lowercased() == "in-reply-to" }.map { String($0.dropFirst("In-Reply-To: ".count)) }
        #expect(parent.map { $0.hasPrefix("<") && $0.hasSuffix(">") && !$0.contains(" ") } == true, "\(what): In-Reply-To \(parent ?? "missing")",
                sourceLocation: sourceLocation)
        let references = full.first { name($0).lowercased() == "references" }
        #expect(parent.map { p in references?.hasSuffix(" " + p) == true } == true, "\(what): References do not end with the parent",
                sourceLocation: sourceLocation)
        #expect(full.contains("Content-Type: text/plain; charset=UTF-8"), sourceLocation: sourceLocation)
    }

    static func checkBody(_ body: [String], _ what: String, sourceLocation: SourceLocation) {
        #expect(body.first?.hasPrefix("On ") == true || body.first?.contains(" wrote:") == true, "\(what): no attribution",
                sourceLocation: sourceLocation)
        #expect(body.contains { $0.hasPrefix("> @@ ") } || body.contains { $0.contains("not quoted above") },
                "\(what): no quoted hunk", sourceLocation: sourceLocation)
        for l in body where !l.hasPrefix(">") {
            #expect(l.count <= 78, "\(what): over 78 columns: \(l)", sourceLocation: sourceLocation)
            #expect(!l.hasSuffix("\\"), "\(what): a Markdown line break: \(l)", sourceLocation: sourceLocation)
            for bad in ["&lt;", "&gt;", "&amp;", "&nbsp;", "&#", "**", "`", "](", "<br"] {
                #expect(!l.contains(bad), "\(what): \(bad) in: \(l)", sourceLocation: sourceLocation)
            }
            for start in ["#", "* ", "| ", "    "] {
                #expect(!l.hasPrefix(start), "\(what): Markdown-like line start \(start): \(l)", sourceLocation: sourceLocation)
            }
        }
    }

    /// `git mailinfo -k` in the temporary folder: the subject as written (RFC 2047 decoded), the
    /// quoted hunks in the message text, nothing taken for a patch.
    func mailinfo(_ message: String, body: [String], _ what: String, sourceLocation: SourceLocation) throws {
        guard let git = Self.git else {
            print("\(what): git mailinfo skipped: git not found")
            return
        }
        let dir = temp.url.appendingPathComponent("mailinfo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: git)
        p.arguments = ["mailinfo", "-k", "--encoding=UTF-8", "msg", "patch"]
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["HOME"] = dir.path
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(Data(message.utf8))
        try input.fileHandleForWriting.close()
        let r = ChildOutput.drain(p, out: out, err: err)
        #expect(r.status == 0, "\(what): git mailinfo: \(r.stderr)", sourceLocation: sourceLocation)
        let info = r.stdout.split(separator: "\n").map(String.init)
        let subject = info.first { $0.hasPrefix("Subject: ") }
        #expect(subject?.hasPrefix("Subject: Re: ") == true && subject?.contains("=?") == false, "\(what): mailinfo \(subject ?? "no subject")",
                sourceLocation: sourceLocation)
        let msg = String(decoding: FileManager.default.contents(atPath: dir.appendingPathComponent("msg").path) ?? Data(), as: UTF8.self)
        let patch = FileManager.default.contents(atPath: dir.appendingPathComponent("patch").path) ?? Data()
        #expect(patch.isEmpty, "\(what): git mailinfo took \(patch.count) bytes for a patch", sourceLocation: sourceLocation)
        let msgLines = Set(msg.split(separator: "\n").map(String.init))
        for hunk in body where hunk.hasPrefix("> @@ ") || hunk.hasPrefix("> diff --git ") {
            #expect(msgLines.contains(hunk), "\(what): git mailinfo lost \(hunk)", sourceLocation: sourceLocation)
        }
    }

    static let git: String? = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }

    // MARK: Mail text

    /// The messages of the output: one, or each of an mboxrd (`>From` unescaped).
    static func split(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        guard text.hasPrefix(separator + "\n") else { return [text] }
        var out: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == separator {
                if !current.isEmpty { out.append(current.joined(separator: "\n")) }
                current = []
                continue
            }
            if line.hasPrefix(">"), line.drop(while: { $0 == ">" }).hasPrefix("From ") { current.append(line.dropFirst()) } else { current.append(line) }
        }
        if !current.isEmpty { out.append(current.joined(separator: "\n")) }
        // The blank line before the next separator belongs to the mbox.
        return out.map { $0.hasSuffix("\n\n") ? String($0.dropLast()) : $0 }
    }

    static func headersAndBody(_ message: String) -> (headers: [String], body: [String])? {
        var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let blank = lines.firstIndex(of: "") else { return nil }
        return (Array(lines[..<blank]), Array(lines[(blank + 1)...]))
    }

    static func unfolded(_ headers: [String]) -> [String] {
        var out: [String] = []
        for h in headers {
            if let f = h.first, f == " " || f == "\t", !out.isEmpty { out[out.count - 1] += h } else { out.append(h) }
        }
        return out
    }

    static func name(_ header: String) -> String {
        header.firstIndex(of: ":").map { String(header[..<$0]) } ?? ""
    }

    /// The raw messages of an mboxrd whose header block names `<root>` (its Message-ID,
    /// In-Reply-To or References), cut at the corpus's fixed `From mboxrd@z …` separator.
    static func cut(_ mbox: URL, root: String) throws -> [Data] {
        let data = try Data(contentsOf: mbox, options: .alwaysMapped)
        let sep = Array(("\n" + separator + "\n").utf8)
        let needle = Array(("<" + root + ">").utf8)
        var starts: [Int] = [0]
        data.withUnsafeBytes { (b: UnsafeRawBufferPointer) in
            var i = 0
            while i + sep.count <= b.count {
                if b[i] == 0x0A, b[i + 1] == sep[1], b[i + 6] == sep[6], zip(sep.indices, sep).allSatisfy({ b[i + $0] == $1 }) {
                    starts.append(i + 1)
                    i += sep.count
                } else {
                    i += 1
                }
            }
        }
        starts.append(data.count)
        var out: [Data] = []
        data.withUnsafeBytes { (b: UnsafeRawBufferPointer) in
            for k in 0..<(starts.count - 1) {
                let lo = starts[k], hi = starts[k + 1]
                var end = lo
                while end + 1 < hi, !(b[end] == 0x0A && b[end + 1] == 0x0A) { end += 1 }
                let header = UnsafeRawBufferPointer(rebasing: b[lo..<end])
                var found = false
                var j = 0
                while !found, j + needle.count <= header.count {
                    if header[j] == needle[0], needle.indices.allSatisfy({ header[j + $0] == needle[$0] }) { found = true }
                    j += 1
                }
                if found { out.append(Data(b[lo..<hi])) }
            }
        }
        return out
    }

    /// Compares with the golden file (written instead with `LKML_REVIEW_RECORD=1`).
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation) {
        TestSupport.expectGolden(actual, name, in: goldens, sourceLocation: sourceLocation)
    }
}
