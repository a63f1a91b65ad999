// Review text copied from a web archive (no line breaks, no headers): recognised among the input's
// messages and replaced by a message re-segmented into lines (Review's `Flattened`), aligned with
// the original patch: the one the input holds, else one in the cache, else (not offline) one a
// public-inbox search finds from what the text gives (quoted files, the attribution's author and
// date). `review` and `remarks` both come here.
import Foundation
import Lore
import Mailbox
import Patch
import Report
import Review

enum FlattenedInput {
    struct Outcome {
        var messages: [Message]
        /// One line per flattened message, for standard error and the report's warnings.
        var notes: [String] = []
        /// A flattened message was re-segmented without its original patch: its remarks are uncertain.
        var uncertain = false
        /// Patch mails found in the cache or by the search, added to the input.
        var added: [Message] = []
        /// Lines for standard error only: how the search for the original patch went.
        var log: [String] = []
        var any: Bool { !notes.isEmpty }
    }

    /// A public-inbox search for the original patch of flattened text.
    struct OriginalSearch {
        var search: InboxSearch
        var server: InboxServer

        /// At most this many decoded bytes of one search's answer.
        static let maxSize = 64 << 20

        /// The search of a run, on the server a bare ID is fetched from (`--lore`,
        /// `LKML_REVIEW_LORE`, `b4.midmask`, lore.kernel.org/all), through the cache, with one retry
        /// and a 10-second connect timeout (as the automatic thread fetch); nil when offline, or
        /// when no cache folder or server can be had (then `note` says why).
        static func make(offline: Bool, lore: String?, cacheDirectory: String?, environment: [String: String],
                         config: GitConfig, maxFetchSize: Int, inputName: String, note: (String) -> Void) -> OriginalSearch? {
            guard !offline else { return nil }
            do {
                var fetcher = try ReviewInput.fetcher(offline: false, cacheDirectory: cacheDirectory, environment: environment,
                                                      input: inputName, maxFetchSize: min(maxFetchSize, maxSize))
                fetcher.options = LoneReply.automaticOptions(fetcher.options)
                let server = try ThreadLookup.searchServer(lore: lore, environment: environment, config: config)
                return OriginalSearch(search: InboxSearch(fetcher: fetcher), server: server)
            } catch {
                note("the original patch of flattened text is not searched for: \(error)")
                return nil
            }
        }
    }

    /// Re-segments the flattened messages of `messages`; the others are kept as they are. The
    /// original patch is taken from the input, else from the threads in `cacheDirectory`, else
    /// from what `search` finds (`searchQueries`).
    static func resegment(_ messages: [Message], inputName: String, cacheDirectory: String? = nil,
                          search: OriginalSearch? = nil, tree: TreeSource? = nil, readOptions: ReadOptions = ReadOptions()) -> Outcome {
        var out = Outcome(messages: messages)
        let flat = messages.indices.filter { Flattened.isFlattened(messages[$0]) }
        let flatSet = Set(flat)
        guard !flat.isEmpty else { return out }
        // The original patch, when the input holds one (a patch mail beside the copied reply).
        var original: (Patch, Message)? = nil
        for (i, m) in messages.enumerated() where !flatSet.contains(i) && !m.subjectInfo.isReply {
            let p = PatchParser.parse(m.body)
            if !p.files.isEmpty { original = (p, m); break }
        }
        for i in flat {
            var patch = original
            var source = "the input"
            // Without an original, the best segmentation alone: it is also what the cache is searched with.
            var alone: ResegmentedText? = nil
            if patch == nil, let cacheDirectory {
                let r = Flattened.resegment(messages[i].body)
                alone = r
                if let found = fromCache(quoting: r, directory: cacheDirectory, readOptions: readOptions) {
                    (patch, source) = (found, "the cache")
                }
            }
            // The reviewer's tree, before the network: the files' lines stand in for the patch,
            // kept when they place at least one quoted line (else the search still runs).
            var treePlaced: ResegmentedText? = nil
            if patch == nil, let tree, tree.root != nil {
                let r = alone ?? Flattened.resegment(messages[i].body)
                alone = r
                if let treePatch = fromTree(quoting: r, tree: tree) {
                    var placed = Flattened.resegment(messages[i].body, original: treePatch)
                    placed.originalName = "the lines of the files in --tree"
                    if placed.usedOriginal { treePlaced = placed }
                }
            }
            if patch == nil, treePlaced == nil, let search {
                let r = alone ?? Flattened.resegment(messages[i].body)
                alone = r
                if let found = fromSearch(quoting: r, search, readOptions: readOptions, log: { out.log.append($0) }) {
                    (patch, source) = (found, "the lore search")
                }
            }
            var r = patch == nil ? (alone ?? Flattened.resegment(messages[i].body)) : Flattened.resegment(messages[i].body, original: patch?.0)
            if patch == nil, let treePlaced { r = treePlaced; source = "the tree" }
            var m = Flattened.message(r, index: messages[i].index)
            m.offset = messages[i].offset
            if r.usedOriginal, let (_, pm) = patch {
                // The reply answers that patch mail: the report takes its title, author and date.
                if let id = pm.messageID { m.inReplyTo = id; m.references = [id] }
                if !pm.subject.isEmpty {
                    m.subject = "Re: " + pm.subject
                    m.subjectInfo = SubjectParser.parse(m.subject)
                }
                if source != "the input", !(out.messages + out.added).contains(where: { $0.messageID != nil && $0.messageID == pm.messageID }) {
                    var pm = pm
                    pm.index = out.messages.count + out.added.count
                    out.added.append(pm)
                }
            }
            out.messages[i] = m
            out.notes.append("\(inputName): " + (flat.count > 1 ? "message \(i + 1): " : "") + r.summary
                             + (r.usedOriginal && source != "the tree" ? " (the original patch from \(source))" : ""))
            if !r.usedOriginal { out.uncertain = true }
        }
        out.messages += out.added
        return out
    }

    /// A stand-in for the original patch from the reviewer's tree, for placing the ends of quoted
    /// lines: for each hunk the flattened text quotes, the file's lines its header names. The
    /// pre-image `-a,b` lines (from the blob the quoted `index` line names when the tree's git has
    /// it, else the work-tree file) as context and removed lines; from a work-tree file also the
    /// post-image `+c,d` lines as context and added ones (a tree that has the patch). Lines that
    /// are not the patch's simply do not match a quote (a quoted line must begin with the
    /// candidate's words), so a tree at another version places less. The section is git's: the
    /// nearest line above the hunk that starts with a letter, `_` or `$`, at most 80 bytes (the
    /// text's own reading of the header when there is none). Nil when no quoted hunk's file is in
    /// the tree.
    static func fromTree(quoting r: ResegmentedText, tree: TreeSource) -> Patch? {
        let (diff, blobs) = ReviewParser.quotedDiffAndBlobs(of: r.body)
        var files: [String: [Hunk]] = [:]
        var order: [String] = []
        for (hi, h) in diff.hunks.enumerated() {
            guard let path = h.file, let a = h.oldStart, let c = h.newStart,
                  let qf = tree.quotedFile(path: path, blob: blobs[hi]) else { continue }
            func slice(_ start: Int, _ count: Int) -> ArraySlice<String> {
                let lo = max(0, start - 1), hi = min(qf.lines.count, lo + count)
                return lo < hi ? qf.lines[lo..<hi] : []
            }
            let pre = Array(slice(a, h.oldCount ?? 1))
            let post = qf.isPreImageBlob ? [] : Array(slice(c, h.newCount ?? 1))
            var lines: [HunkLine] = []
            for k in 0..<max(pre.count, post.count) {
                if k < pre.count {
                    lines.append(HunkLine(kind: .context, text: pre[k], oldLine: a + k, newLine: nil))
                    lines.append(HunkLine(kind: .removed, text: pre[k], oldLine: a + k, newLine: nil))
                }
                if k < post.count {
                    lines.append(HunkLine(kind: .context, text: post[k], oldLine: nil, newLine: c + k))
                    lines.append(HunkLine(kind: .added, text: post[k], oldLine: nil, newLine: c + k))
                }
            }
            guard !lines.isEmpty else { continue }
            var section = ""
            var k = min(a - 2, qf.lines.count - 1)
            while k >= 0 {
                if let f = qf.lines[k].first, f.isLetter || f == "_" || f == "$" {
                    let head = String(decoding: Array(qf.lines[k].utf8.prefix(80)), as: UTF8.self)
                    section = String(head.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
                    break
                }
                k -= 1
            }
            // No such line above (a file cut short, or not the patch's version): the text's own
            // reading of the header, which then places nothing the text did not.
            if section.isEmpty { section = h.section }
            if files[path] == nil { order.append(path) }
            files[path, default: []].append(Hunk(oldStart: a, oldCount: h.oldCount ?? 1, newStart: c, newCount: h.newCount ?? 1,
                                                 section: section, lines: lines))
        }
        guard !order.isEmpty else { return nil }
        return Patch(files: order.map { FilePatch(oldPath: $0, newPath: $0, hunks: files[$0] ?? []) })
    }

    /// The hunks the flattened text quotes with their file and header: `path -old +new`.
    static func quotedHunks(_ r: ResegmentedText) -> Set<String> {
        Set(ReviewParser.quotedDiff(of: r.body).hunks.compactMap { h -> String? in
            guard let file = h.file, let o = h.oldStart, let n = h.newStart else { return nil }
            return "\(file) -\(o) +\(n)"
        })
    }

    /// The first patch mail of `messages` (not a reply) whose patch has every hunk of `wanted`.
    static func patch(having wanted: Set<String>, in messages: [Message]) -> (Patch, Message)? {
        guard !wanted.isEmpty else { return nil }
        for m in messages where !m.subjectInfo.isReply && PatchParser.containsDiff(m.body) {
            let p = PatchParser.parse(m.body)
            var have: Set<String> = []
            for f in p.files { for h in f.hunks { have.insert("\(f.path) -\(h.oldStart) +\(h.newStart)") } }
            if wanted.isSubset(of: have) { return (p, m) }
        }
        return nil
    }

    /// The patch a cached thread holds whose files and hunk headers are those the flattened text
    /// quotes (every quoted hunk found in it); the cache's threads in name order, at most 500,
    /// each up to 64 MiB.
    static func fromCache(quoting r: ResegmentedText, directory: String, readOptions: ReadOptions) -> (Patch, Message)? {
        let wanted = quotedHunks(r)
        guard !wanted.isEmpty, let entries = try? ThreadCache(directory: directory).list() else { return nil }
        for e in entries.sorted(by: { $0.path < $1.path }).prefix(500) where e.size <= 64 << 20 {
            guard let messages = try? MailReader.read(path: e.path, options: readOptions).messages else { continue }
            if let found = patch(having: wanted, in: messages) { return found }
        }
        return nil
    }

    /// The queries for the original patch of flattened text: the quoted files (`dfn:`, at most
    /// three), the days around the attribution's date (`d:`, a week before to two days after: the
    /// quoted mail may be a later one of the thread) and the author's surname (`f:`; without a name,
    /// a masked address's local part, else the address); then the same without the author, when
    /// the first had both. None without a quoted file, or with neither a date nor an author (that
    /// would ask for every patch to the file).
    static func searchQueries(for r: ResegmentedText) -> [InboxQuery] {
        var files: [String] = []
        for h in ReviewParser.quotedDiff(of: r.body).hunks {
            if let f = h.file, !files.contains(f) { files.append(f) }
        }
        guard !files.isEmpty else { return [] }
        var base = InboxQuery()
        for f in files.prefix(3) { base.add("dfn", f) }
        var dated = base
        if let text = r.quotedDate, let date = DateParser.parse(text) {
            dated.addDays(from: date.addingTimeInterval(-7 * 86_400), to: date.addingTimeInterval(2 * 86_400))
        }
        var full = dated
        if let who = authorWord(name: r.quotedName ?? r.quotedAuthor?.name, email: r.quotedAuthor?.email) {
            full.add("f", who)
        }
        if full.terms.count == base.terms.count { return [] }
        let hasDate = dated.terms.count > base.terms.count
        return hasDate && full.terms.count > dated.terms.count ? [full, dated] : [full]
    }

    /// The word an author is searched by: the name's last word (lower case, letters only, two or
    /// more), else a masked address's local part (`akrowiak@xxxxxxxxxxxxx`), else the address.
    static func authorWord(name: String?, email: String?) -> String? {
        if let name {
            let words = name.split(whereSeparator: { !$0.isLetter }).map { $0.lowercased() }.filter { $0.count >= 2 }
            if let last = words.last { return last }
        }
        guard let email, let at = email.firstIndex(of: "@"), at > email.startIndex else { return nil }
        let domain = email[email.index(after: at)...]
        let masked = domain.isEmpty || domain.allSatisfy { $0 == "x" || $0 == "X" || $0 == "." }
        return masked ? String(email[..<at]) : email
    }

    /// The patch mail a public-inbox search finds whose files and hunk headers are those the
    /// flattened text quotes (as `fromCache` picks one), asking `searchQueries` in turn until one
    /// finds it; `log` gets one line per search and where the patch came from.
    static func fromSearch(quoting r: ResegmentedText, _ search: OriginalSearch, readOptions: ReadOptions,
                           log: (String) -> Void) -> (Patch, Message)? {
        let wanted = quotedHunks(r)
        let queries = searchQueries(for: r)
        guard !wanted.isEmpty, !queries.isEmpty else {
            log("the original patch of the flattened text is not searched for: the text quotes no file and hunk header"
                + " with an author or a date to search by")
            return nil
        }
        for query in queries {
            let what = "the lore search for the original patch (\(query.text) at \(search.server.inboxURL))"
            do {
                let result = try search.search.search(query, in: search.server)
                let messages = result.messageCount > 0 ? try MailReader.read(path: result.path, options: readOptions).messages : []
                if let found = patch(having: wanted, in: messages) {
                    log("found the original patch through the lore search: <\(found.1.messageID ?? "no Message-ID")> (\(query.text))")
                    return found
                }
                log(messages.isEmpty ? "\(what): nothing found"
                    : "\(what): \(messages.count) message\(messages.count == 1 ? "" : "s"), none with the quoted hunks")
            } catch let e as LoreError {
                log("\(what) failed: \(e.description)")
                if case .transfer = e { return nil } // the network is out of reach: no second ask
            } catch {
                log("\(what) failed: \(error)")
            }
        }
        return nil
    }

    /// The report says the input was re-segmented; without the original, the remarks of the
    /// re-segmented messages (they have no Message-ID) are marked approximate.
    static func annotate(_ report: inout ReviewReport, _ outcome: Outcome) {
        guard outcome.any else { return }
        report.warnings.append(contentsOf: outcome.notes)
        guard outcome.uncertain else { return }
        for s in report.series.indices {
            for p in report.series[s].patches.indices {
                for r in report.series[s].patches[p].remarks.indices where report.series[s].patches[p].remarks[r].message.messageID == nil {
                    report.series[s].patches[p].remarks[r].isApproximate = true
                }
            }
        }
    }
}
