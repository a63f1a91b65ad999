/// Renders a `ReviewReport` as plain-text reply mails, one per patch that has findings, ready for
/// `git send-email` or a mail client's draft (`mutt -H`).
///
/// Each reply has a header block without `From:` and `Date:` (the sender's tool adds them):
/// `Subject: Re: <subject>`, `To:` the patch's author, `Cc:` the patch mail's To and Cc (a reply to
/// all, each address once, the author left out), `In-Reply-To:` the patch's Message-ID (for a patch
/// rebuilt from replies' quotes, the Message-ID those replies answer), `References:` the patch's
/// References and its Message-ID, and a `Content-Type: text/plain; charset=UTF-8` with 8bit
/// transfer encoding; non-ASCII names and subjects are RFC 2047 encoded-words and header lines fold
/// before 78 columns. The body is an `On <date>, <author> wrote:` line, then the patch quoted with
/// `> `, kept to the hunks that carry a finding: each file's header lines and each kept hunk's `@@`
/// line, a few lines around each finding's lines, `> [...]` for what is left out. Each finding is
/// written in plain words right after the quoted line it points at, with a blank line before and
/// after. Prose is wrapped at 72 columns; quoted lines are the patch's lines as they are.
///
/// A series whose later patch takes out a finding an earlier one brought in also gets a reply to
/// its cover letter (the series' remarks of its own: `seriesRemarks`), first.
///
/// One reply is one message; more than one (a series) is an mboxrd: each message starts with
/// `From mboxrd@z Thu Jan  1 00:00:00 1970` and body lines matching `>*From ` get one more `>`.
import Foundation
import Mailbox
import Patch
import Review

public struct ReplyRenderer: Sendable {
    /// Lines of the patch kept around each finding's lines.
    public var contextLines: Int
    /// Where prose wraps.
    public var width: Int
    /// The input's messages: the patch mails (their headers and raw diff lines) and the replies.
    public var messages: [Message]

    public init(messages: [Message], contextLines: Int = 3, width: Int = 72) {
        self.messages = messages; self.contextLines = contextLines; self.width = width
    }

    /// The replies: one message, or an mboxrd when there are several; empty when no patch has a
    /// finding (`count` 0).
    public func render(_ report: ReviewReport) -> (text: String, count: Int) {
        var mailbox = ReplyMailbox()
        var out = ""
        for s in report.series {
            for r in replies(to: s) { out += mailbox.add(r) }
        }
        out += mailbox.finish()
        return (out, mailbox.count)
    }

    /// The replies to one series' patches, in order (none for a patch without a finding). A
    /// streamed review renders each series with the messages of its thread group, then hands the
    /// replies to a `ReplyMailbox` in report order.
    public func replies(to series: SeriesReport) -> [String] {
        (series.coverLetter.flatMap { coverReply($0, series: series) }.map { [$0] } ?? []) + series.patches.compactMap { reply(to: $0) }
    }

    /// A line an mboxrd reader would take for (or unescape as) a `From ` separator.
    static func needsEscape(_ line: String) -> Bool {
        line.drop(while: { $0 == ">" }).hasPrefix("From ")
    }

    /// Lines cut at LF only (a CR stays with its line, as the patch parser counts them).
    static func lines(_ text: String) -> [String] {
        var out = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if text.hasSuffix("\n") { out.removeLast() }
        return out
    }

    /// The findings a reply names: those in the patched code (not the ones the patch removes).
    static func findings(_ p: PatchReport) -> [FindingReport] { p.openFindings }

    func message(_ id: String?) -> Message? {
        guard let id else { return nil }
        return messages.first { $0.messageID == id }
    }

    // MARK: One reply

    func reply(to p: PatchReport) -> String? {
        let findings = Self.findings(p)
        guard !findings.isEmpty, p.source != .coverLetter else { return nil }
        let mail = p.source == .message ? message(p.message.messageID) : nil
        var out = headers(p, mail: mail)
        out += "\n"
        for l in wrap(attribution(p, mail: mail)) { out += l + "\n" }
        let (patch, raw) = diffLines(p, mail: mail)
        out += body(findings, patch: patch, raw: raw)
        return out
    }

    // MARK: The cover letter's own remarks

    /// What concerns the series rather than one patch: a finding a patch introduces (or keeps) that
    /// a later patch of the series removes. The kernel between the two has it: a bisection that
    /// lands there, or a backport taking only the first patches, meets it. One entry per finding,
    /// at the patch that introduced it (or the first that has it).
    static func seriesRemarks(_ s: SeriesReport) -> [(patch: PatchReport, finding: FindingReport, fixedIn: Int)] {
        var out: [(patch: PatchReport, finding: FindingReport, fixedIn: Int)] = []
        var seen: Set<String> = []
        for p in s.patches {
            for f in findings(p) {
                guard let j = f.fixedInPatch else { continue }
                let key = "\(f.rule)|\(f.file)|\(f.function ?? "")|\(f.subject ?? "")|\(j)"
                if seen.insert(key).inserted { out.append((p, f, j)) }
            }
        }
        return out
    }

    /// A reply to the cover letter when the series has remarks of its own (`seriesRemarks`): its
    /// headers as a patch reply's, the attribution, and a paragraph per remark.
    func coverReply(_ c: PatchReport, series: SeriesReport) -> String? {
        let items = Self.seriesRemarks(series)
        guard !items.isEmpty, c.message.messageID != nil else { return nil }
        let mail = message(c.message.messageID)
        var out = headers(c, mail: mail) + "\n"
        for l in wrap(attribution(c, mail: mail)) { out += l + "\n" }
        out += "> [...]\n\n"
        let n = series.total ?? series.patches.count
        for (k, item) in items.enumerated() {
            if k > 0 { out += "\n" }
            let i = item.finding.introducedInPatch ?? item.patch.index ?? 1
            let f = item.finding
            var text = "Patch \(i)/\(n) brings in what patch \(item.fixedIn)/\(n) takes out again. "
                + "\(f.severity.rawValue.capitalized) (\(f.rule)): \(Self.plain(f.message))" + (f.message.hasSuffix(".") ? "" : ".")
            text += f.function.map { " In \($0)() of \(f.file)." } ?? " In \(f.file)."
            let range = item.fixedIn - i == 1 ? "patch \(i)" : "patches \(i) to \(item.fixedIn - 1)"
            text += " The kernel built with \(range) has it: a bisection that lands there, or a backport that takes only "
                + "the first patches, meets it. Fixing it where it comes in keeps every step of the series clean."
            for l in wrap(text) { out += l + "\n" }
        }
        return out
    }

    // MARK: Headers

    func headers(_ p: PatchReport, mail: Message?) -> String {
        var out = ""
        let subject = p.subject.range(of: "^(?i)re:\\s", options: .regularExpression) != nil ? p.subject : "Re: " + p.subject
        out += fold("Subject: " + HeaderEncoding.unstructured(Self.oneLine(subject)).joined(separator: " "))
        // To: the author; Cc: everyone else the patch mail went to (or the replies, for a quoted patch).
        var to: [String] = []
        var cc: [String] = []
        var seen: Set<String> = []
        func add(_ name: String?, _ email: String?, into list: inout [String]) {
            guard let email, !email.isEmpty, seen.insert(email.lowercased()).inserted else { return }
            list.append(Self.address(name: name, email: email))
        }
        if let mail {
            add(mail.from?.name, mail.from?.email, into: &to)
            for a in mail.to + mail.cc { add(a.name, a.email, into: &cc) }
        } else {
            add(p.message.from?.name, p.message.from?.email, into: &to)
            for r in messages where r.inReplyTo != nil && r.inReplyTo == p.message.messageID {
                for a in [r.from].compactMap({ $0 }) + r.to + r.cc { add(a.name, a.email, into: &cc) }
            }
        }
        if !to.isEmpty { out += foldList("To:", to) }
        if !cc.isEmpty { out += foldList("Cc:", cc) }
        if let id = p.message.messageID {
            out += foldList("In-Reply-To:", ["<\(Self.oneLine(id))>"])
            var refs: [String] = []
            if let mail {
                refs = mail.references
            } else if let r = messages.first(where: { $0.inReplyTo == id }), let k = r.references.firstIndex(of: id) {
                refs = Array(r.references[..<k])
            }
            var seenRefs: Set<String> = [id]
            refs = refs.filter { seenRefs.insert($0).inserted }
            refs.append(id)
            out += foldList("References:", refs.map { "<\(Self.oneLine($0))>" }, separator: "")
        }
        out += "MIME-Version: 1.0\n"
        out += "Content-Type: text/plain; charset=UTF-8\n"
        out += "Content-Transfer-Encoding: 8bit\n"
        return out
    }

    /// `Name <email>`, the name quoted when it holds characters special in an address header and
    /// RFC 2047-encoded when it holds non-ASCII ones.
    static func address(name: String?, email: String) -> String {
        guard let name = name.map(oneLine), !name.isEmpty else { return oneLine(email) }
        return "\(HeaderEncoding.phrase(name)) <\(oneLine(email))>"
    }

    /// A header's words folded before `width` columns where a space allows it.
    func fold(_ header: String) -> String {
        var out = ""
        var line = ""
        for word in header.split(separator: " ", omittingEmptySubsequences: true) {
            if line.isEmpty { line = String(word); continue }
            if line.count + 1 + word.count > width { out += line + "\n"; line = " " + word } else { line += " " + word }
        }
        return out + line + "\n"
    }

    /// A list header (`To:`, `Cc:`, `References:`, `In-Reply-To:`): items kept whole, one per folded
    /// line when they do not fit on one; an item too long for the header's own line (a long
    /// Message-ID) goes on the next, so that a line stays within 78 columns when it can.
    func foldList(_ name: String, _ items: [String], separator: String = ",") -> String {
        var out = name
        var lineLength = name.count
        for (i, item) in items.enumerated() {
            let piece = item + (i < items.count - 1 ? separator : "")
            if (i > 0 && lineLength + 1 + piece.count > width) || (i == 0 && lineLength + 1 + piece.count > 78) {
                out += "\n "; lineLength = 1
            } else {
                out += " "; lineLength += 1
            }
            out += piece; lineLength += piece.count
        }
        return out + "\n"
    }

    /// One line: line breaks and other control characters become spaces.
    static func oneLine(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
            .trimmingCharacters(in: .whitespaces)
    }

    func attribution(_ p: PatchReport, mail: Message?) -> String {
        var date: String?
        if let mail, let d = mail.headers.first(where: { $0.name.lowercased() == "date" })?.value { date = Self.oneLine(d) }
        if date == nil, let d = p.message.dateText { date = Self.oneLine(d) }
        if date == nil, let d = p.message.date { date = Self.rfc2822(d) }
        let who = mail?.from.map { $0.description } ?? p.message.from?.description ?? "the author"
        return (date.map { "On \($0), " } ?? "") + Self.oneLine(who) + " wrote:"
    }

    static func rfc2822(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        return f.string(from: d)
    }

    // MARK: The quoted patch

    /// The patch and its lines as the mail has them (nil for a patch rebuilt from quotes: then the
    /// lines are written from the parsed patch).
    func diffLines(_ p: PatchReport, mail: Message?) -> (Patch?, [String]?) {
        if let mail {
            var text = mail.body
            var patch = PatchParser.parse(text)
            if patch.files.isEmpty {
                for a in mail.patchAttachments {
                    let q = PatchParser.parse(a.text)
                    if !q.files.isEmpty { patch = q; text = a.text; break }
                }
            }
            return (patch, Self.lines(text))
        }
        // Rebuilt from the replies' quotes, as the report builder does.
        for r in messages where r.inReplyTo != nil && r.inReplyTo == p.message.messageID {
            let a = ReviewParser.analyze(r)
            if a.quotedDiff.hunks.contains(where: { $0.oldStart != nil }) {
                if let patch = PatchFacts.patch(fromQuotes: a.quotedDiff) { return (patch, nil) }
            }
        }
        return (nil, nil)
    }

    func body(_ findings: [FindingReport], patch: Patch?, raw: [String]?) -> String {
        var out = ""
        var lastElided = false
        func quote(_ line: String) {
            out += (line.isEmpty ? ">" : "> " + line) + "\n"; lastElided = false
        }
        func elide() {
            if !lastElided { out += "> [...]\n" }
            lastElided = true
        }
        var explained: Set<String> = []
        func remark(_ f: FindingReport, outside: Bool) {
            if !out.hasSuffix("\n\n") { out += "\n" }
            for l in remarkLines(f, outside: outside, explain: explained.insert(f.rule).inserted) { out += l + "\n" }
            out += "\n"
            lastElided = false
        }
        // The commit message is left out.
        elide()
        var placed: Set<String> = []
        for file in patch?.files ?? [] {
            let mine = findings.filter { $0.file == file.path || ($0.file == file.oldPath && $0.version == "old") }
            if mine.isEmpty { continue }
            // The file's header lines: as written, else rebuilt.
            if let raw, let start = file.inputLine, let end = file.hunks.first?.inputLine ?? Optional(raw.count), start < end, end <= raw.count {
                for l in raw[start..<end] { quote(l) }
            } else {
                quote("diff --git a/\(file.oldPath ?? file.path) b/\(file.path)")
                quote("--- " + (file.oldPath.map { "a/" + $0 } ?? "/dev/null"))
                quote("+++ " + (file.newPath.map { "b/" + $0 } ?? "/dev/null"))
            }
            var lastQuoted: Int? = nil
            for hunk in file.hunks {
                // Each finding's anchor line (where its remark goes) and every line it involves.
                var anchors: [Int: [FindingReport]] = [:]
                var involved: Set<Int> = []
                for f in mine {
                    let old = f.version == "old"
                    func index(_ n: Int) -> Int? {
                        hunk.lines.firstIndex { old ? ($0.oldLine == n && $0.kind != .added) : ($0.newLine == n && $0.kind != .removed) }
                    }
                    if let i = index(f.line), !placed.contains(f.id) {
                        anchors[i, default: []].append(f); placed.insert(f.id); involved.insert(i)
                    }
                    for n in [f.endLine].compactMap({ $0 }) + f.locations.filter({ $0.file == f.file }).map(\.line) {
                        if let i = index(n) { involved.insert(i) }
                    }
                }
                if involved.isEmpty { continue }
                var keep: Set<Int> = []
                for i in involved {
                    for k in max(0, i - contextLines)...min(hunk.lines.count - 1, i + contextLines) { keep.insert(k) }
                }
                if let lastQuoted, lastQuoted >= 0 { elide() }
                if let raw, let h = hunk.inputLine, h < raw.count { quote(raw[h]) } else {
                    quote("@@ -\(hunk.oldStart),\(hunk.oldCount) +\(hunk.newStart),\(hunk.newCount) @@" + (hunk.section.isEmpty ? "" : " " + hunk.section))
                }
                var previous = -1
                for i in keep.sorted() {
                    if i != previous + 1 { elide() }
                    let hl = hunk.lines[i]
                    if let raw, let n = hl.inputLine, n < raw.count { quote(raw[n]) } else {
                        quote((hl.kind == .added ? "+" : hl.kind == .removed ? "-" : " ") + hl.text)
                    }
                    for f in anchors[i] ?? [] { remark(f, outside: false) }
                    previous = i
                }
                if previous < hunk.lines.count - 1 { elide() }
                lastQuoted = previous
            }
            // Findings whose line the hunks do not show: after the file's quote.
            for f in mine where !placed.contains(f.id) {
                if lastQuoted == nil { elide() }
                remark(f, outside: true); placed.insert(f.id)
            }
            elide()
        }
        // Findings on files the quoted patch does not hold.
        for f in findings where !placed.contains(f.id) {
            remark(f, outside: true); placed.insert(f.id)
        }
        return out
    }

    // MARK: The remark for a finding

    /// The finding in words: what and where, which lines with their roles, why it matters (once per
    /// rule and message: `explain`), the usual remedy.
    func remarkLines(_ f: FindingReport, outside: Bool, explain: Bool = true) -> [String] {
        var paragraphs: [String] = []
        let what = Self.plain(f.message)
        let change: String
        switch f.change {
        case .introduced: change = "this patch introduces it"
        case .present: change = f.introducedInPatch.map { "patch \($0) of the series introduced it" } ?? "the patched code has it"
        case .fixed: change = "this patch removes it"
        }
        var head = "\(f.severity.rawValue.capitalized) (\(f.rule)): \(what)" + (what.hasSuffix(".") ? "" : ".")
        if let fn = f.function { head += " In \(fn)(), \(change)." } else { head += " " + change.prefix(1).uppercased() + change.dropFirst() + "." }
        paragraphs.append(head)
        // Which lines, with their roles.
        var roles: [String] = []
        var seen: Set<String> = []
        let version = f.version == "old" ? "old " : ""
        let main = "\(version)line \(f.line)"
        for l in f.locations where l.file == f.file {
            let r = "\(l.line) (\(Self.plain(l.label)))"
            if seen.insert(r).inserted { roles.append(r) }
        }
        var lines = "Lines: " + (roles.isEmpty ? main : roles.joined(separator: ", ")) + " of \(f.file)"
        if f.version == "old" { lines += " (before the patch)" }
        if outside { lines += "; the patch's hunks do not show \(main), so it is not quoted above" }
        paragraphs.append(lines + ".")
        let why = Self.plain(f.ruleRationale.isEmpty ? f.ruleSummary : f.ruleRationale)
        if explain, !why.isEmpty { paragraphs.append("Why it matters: " + why + (why.hasSuffix(".") ? "" : ".")) }
        if let remedy = Self.remedy(f) { paragraphs.append("Usual remedy: " + remedy) }
        var out: [String] = []
        for (i, p) in paragraphs.enumerated() {
            if i > 0 { out.append("") }
            out += wrap(p)
        }
        return out
    }

    /// What usually fixes what the rule found, by rule and by what the message says.
    static func remedy(_ f: FindingReport) -> String? {
        let m = f.message.lowercased()
        let subject = f.subject.map { plain($0) }
        switch f.rule {
        case "lock-window":
            return "re-check the state after re-taking the lock (what was read before the unlock may have changed), or keep "
                + (subject ?? "the lock") + " held across the window."
        case "lock-balance":
            if m.contains("taken again") { return "drop the second acquire, or release the lock before taking it again." }
            if m.contains("released again") { return "drop the second release." }
            if m.contains("without being taken") { return "annotate the function with __must_hold() if its callers hold the lock, or take it here." }
            return "release " + (subject ?? "the lock") + " on that path before returning (an unlock, or a goto to the unlock label)."
        case "refcount-balance":
            if m.contains("balance across functions") { return nil }
            if m.contains("after its put") { return "move the put after the last use." }
            if m.contains("one more put") || m.contains("without a get") || m.contains("never took it") {
                return "drop the extra put, or take a reference for it."
            }
            if m.contains("never kept") { return "keep the reference in a variable and put it after the call." }
            if m.contains("not put") || m.contains("leak") { return "a put on that path (or a goto to the label that puts it)." }
            return nil
        default:
            return nil
        }
    }

    /// Text from the rules without Markdown: backticks dropped, control characters as spaces.
    static func plain(_ s: String) -> String {
        oneLine(s.replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "**", with: ""))
    }

    /// Words wrapped at `width`; a word longer than that is cut.
    func wrap(_ text: String) -> [String] {
        var out: [String] = []
        var line = ""
        for w in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(w)
            while word.count > width {
                if !line.isEmpty { out.append(line); line = "" }
                out.append(String(word.prefix(width))); word = String(word.dropFirst(width))
            }
            if line.isEmpty { line = word } else if line.count + 1 + word.count > width { out.append(line); line = word } else { line += " " + word }
        }
        if !line.isEmpty { out.append(line) }
        return out
    }
}

/// The replies written one after another, as `ReplyRenderer.render` writes them: one reply is
/// the message itself; from the second on, the text is an mboxrd (each message after a
/// `From mboxrd@z …` line, body lines matching `>*From ` escaped with one more `>`). The first
/// reply waits until the second (or `finish`) says which.
public struct ReplyMailbox: Sendable {
    /// Replies added so far.
    public private(set) var count = 0
    var first: String?

    public init() {}

    /// The text to write for the next reply (empty for the first, which waits).
    public mutating func add(_ reply: String) -> String {
        count += 1
        switch count {
        case 1:
            first = reply
            return ""
        case 2:
            let out = Self.framed(first ?? "", leading: false) + Self.framed(reply, leading: true)
            first = nil
            return out
        default:
            return Self.framed(reply, leading: true)
        }
    }

    /// What remains to write after the last reply: the one reply, when there was only one.
    public mutating func finish() -> String {
        defer { first = nil }
        return count == 1 ? first ?? "" : ""
    }

    /// One message of the mboxrd (`leading`: after an earlier one, with a blank line between).
    static func framed(_ reply: String, leading: Bool) -> String {
        var out = leading ? "\n" : ""
        out += "From mboxrd@z Thu Jan  1 00:00:00 1970\n"
        for line in ReplyRenderer.lines(reply) {
            out += (ReplyRenderer.needsEscape(line) ? ">" + line : line) + "\n"
        }
        return out
    }
}
