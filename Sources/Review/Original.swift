import Foundation
import Mailbox
import Patch

// Finding the patch a reply answers, and analysing a reply within its thread.

extension ReviewParser {
    /// The message carrying the patch a reply answers: the nearest ancestor with a diff in its body
    /// or a patch attachment; else, among `others`, a patch (not a reply) with the same subject
    /// title, the same version preferred.
    public static func originalMessage(for message: Message, thread: ThreadContext, others: [Message] = []) -> Message? {
        originalMessage(for: message, thread: thread, index: OriginalPatchIndex(others))
    }

    /// The same, with the patches of the other messages indexed once (for many replies).
    public static func originalMessage(for message: Message, thread: ThreadContext, index: OriginalPatchIndex) -> Message? {
        if let m = thread.nearestPatchMessage() { return m }
        let title = message.subjectInfo.title
        guard !title.isEmpty, let candidates = index.byTitle[title] else { return nil }
        let others = candidates.filter { $0.messageID != message.messageID }
        return others.first { $0.subjectInfo.version == message.subjectInfo.version } ?? others.first
    }

    /// The patch in a message: its body's diff, else its patch attachments'; nil when it has none.
    public static func patch(of message: Message) -> Patch? {
        if PatchParser.containsDiff(message.body) {
            let p = PatchParser.parse(message.body)
            if !p.files.isEmpty { return p }
        }
        var files: [FilePatch] = []
        for a in message.patchAttachments {
            files += PatchParser.parse(a.text).files
        }
        return files.isEmpty ? nil : Patch(commitMessage: message.body, files: files)
    }

    /// Analyses `message` within `messages` (its thread or a whole mbox): the ancestor chain gives
    /// the authors per depth, and the original patch, when found, the exact line numbers.
    public static func analyze(_ message: Message, in messages: [Message]) -> ReviewAnalysis {
        var byID: [String: Message] = [:]
        for m in messages { if let id = m.messageID, byID[id] == nil { byID[id] = m } }
        return analyze(message, byID: byID, all: messages)
    }

    /// Analyses every message, in input order. The patches replies answer are found, parsed and
    /// indexed once each; the replies are analysed on all cores.
    public static func analyzeAll(_ messages: [Message], options: AnalyzeOptions = AnalyzeOptions()) -> [ReviewAnalysis] {
        var out: [ReviewAnalysis] = []
        out.reserveCapacity(messages.count)
        analyzeAll(messages, options: options) { _, a in out.append(a) }
        return out
    }

    /// The same, handing each analysis to `body` in input order (with the message's index in
    /// `messages`) instead of keeping them all: a whole archive is analysed `options.batch`
    /// messages at a time, and only one batch of analyses is held.
    public static func analyzeAll(_ messages: [Message], options: AnalyzeOptions = AnalyzeOptions(),
                                  _ body: (Int, ReviewAnalysis) throws -> Void) rethrows {
        try analyzeAll(messages, options: options, transform: { _, a in a }, body)
    }

    /// The same, with `transform` applied to each analysis on the core that made it (formatting
    /// it, keeping only a part), and its results handed to `body` in input order.
    public static func analyzeAll<T: Sendable>(_ messages: [Message], options: AnalyzeOptions = AnalyzeOptions(),
                                               transform: @Sendable (Int, ReviewAnalysis) -> T,
                                               _ body: (Int, T) throws -> Void) rethrows {
        let plan = ArchivePlan(messages, align: options.align)
        var selected: [Int] = options.only.map { only in messages.indices.filter { only.contains($0) } }
            ?? Array(messages.indices)
        if options.repliesOnly {
            selected.removeAll { messages[$0].parentID == nil && !messages[$0].subjectInfo.isReply }
        }
        let batch = max(1, options.batch)
        var start = 0
        while start < selected.count {
            let part = Array(selected[start..<min(start + batch, selected.count)])
            let results = parallelMap(part.count) { k in transform(part[k], plan.analyze(messages, part[k])) }
            for (k, a) in zip(part, results) { try body(k, a) }
            start += batch
        }
    }

    static func analyze(_ message: Message, byID: [String: Message], all: [Message]) -> ReviewAnalysis {
        let thread = ThreadContext(message: message) { byID[$0] }
        var original: Patch? = nil
        if message.parentID != nil || message.subjectInfo.isReply,
           let om = originalMessage(for: message, thread: thread, index: OriginalPatchIndex(all)) {
            original = patch(of: om)
        }
        return analyze(message, thread: thread, original: original)
    }
}

/// The patches among a set of messages, by subject title: the messages that are not replies and
/// carry a diff or a patch attachment, in input order. Built once for many look-ups.
public struct OriginalPatchIndex: Sendable {
    public private(set) var byTitle: [String: [Message]] = [:]

    public init(_ messages: [Message]) {
        for m in messages where !m.subjectInfo.isReply && !m.subjectInfo.title.isEmpty {
            guard !m.patchAttachments.isEmpty || PatchParser.containsDiff(m.body) else { continue }
            byTitle[m.subjectInfo.title, default: []].append(m)
        }
    }
}

/// `transform(0..<count)` computed on all cores, in order.
func parallelMap<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
    if count < 8 { return (0..<count).map(transform) }
    let slots = ParallelSlots<T>(count)
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    // Interleaved chunks so that a run of large messages does not land on one worker.
    let chunk = 16
    DispatchQueue.concurrentPerform(iterations: workers) { w in
        var start = w * chunk
        while start < count {
            for i in start..<min(start + chunk, count) { slots.base[i] = transform(i) }
            start += workers * chunk
        }
    }
    return (0..<count).map { slots.base[$0]! }
}

/// Result storage for `parallelMap`: each index is written by exactly one worker.
final class ParallelSlots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T?>
    let count: Int
    init(_ n: Int) { count = n; base = .allocate(capacity: n); base.initialize(repeating: nil, count: n) }
    deinit { base.deinitialize(count: count); base.deallocate() }
}

/// How `analyzeAll` works through a set of messages.
public struct AnalyzeOptions: Sendable {
    /// Align replies with the patch they answer (found among the messages). Off: quote structure
    /// and remarks only, numbers from the quoted hunk headers (the work b4's review extraction does).
    public var align = true
    /// Only replies (a parent in In-Reply-To/References, or a `Re:` subject), as b4 selects them.
    public var repliesOnly = false
    /// Messages analysed per parallel batch when streaming.
    public var batch = 512
    /// Only these indices of the messages (all when nil); the others still serve as thread and
    /// original patch.
    public var only: Set<Int>? = nil
    public init(align: Bool = true, repliesOnly: Bool = false) { self.align = align; self.repliesOnly = repliesOnly }
}

/// What `analyzeAll` finds once for a whole set of messages: the thread above every reply (as
/// message indices) and, per reply, the indexed original patch it answers.
struct ArchivePlan: Sendable {
    /// Per message: ancestors, parent first.
    let ancestors: [[Int32]]
    /// Per message: index into `originals`, or -1.
    let original: [Int32]
    let originals: [PatchIndex]

    init(_ messages: [Message], align: Bool) {
        let n = messages.count
        var byID: [String: Int] = [:]
        byID.reserveCapacity(n)
        for (i, m) in messages.enumerated() { if let id = m.messageID, byID[id] == nil { byID[id] = i } }
        let isReply = messages.map { $0.parentID != nil || $0.subjectInfo.isReply }
        // Which messages carry a patch: looked at once each, on all cores.
        let hasPatch: [Bool] = align
            ? parallelMap(n) { i in !messages[i].patchAttachments.isEmpty || PatchParser.containsDiff(messages[i].body) }
            : [Bool](repeating: false, count: n)
        var byTitle: [String: [Int]] = [:]
        if align {
            for i in 0..<n where hasPatch[i] && !messages[i].subjectInfo.isReply && !messages[i].subjectInfo.title.isEmpty {
                byTitle[messages[i].subjectInfo.title, default: []].append(i)
            }
        }
        // The thread above each message, on all cores.
        let ids = byID
        let ancestors: [[Int32]] = parallelMap(n) { i in
            ThreadContext.chain(of: messages[i], limit: 16, lookup: { ids[$0].map(Int32.init) }, message: { messages[Int($0)] })
        }
        var originalOf = [Int32](repeating: -1, count: n)
        var slot: [Int: Int32] = [:]
        var toParse: [Int] = []
        for i in 0..<n {
            guard align, isReply[i] else { continue }
            // The nearest ancestor with a patch, else a patch with the same title.
            var om = -1
            for a in ancestors[i] where hasPatch[Int(a)] { om = Int(a); break }
            if om < 0 {
                let m = messages[i]
                let title = m.subjectInfo.title
                if !title.isEmpty, let candidates = byTitle[title] {
                    let others = candidates.filter { messages[$0].messageID != m.messageID }
                    om = others.first { messages[$0].subjectInfo.version == m.subjectInfo.version } ?? others.first ?? -1
                }
            }
            guard om >= 0 else { continue }
            if let s = slot[om] { originalOf[i] = s; continue }
            let s = Int32(toParse.count)
            slot[om] = s
            toParse.append(om)
            originalOf[i] = s
        }
        let parseList = toParse
        let parsed = parallelMap(parseList.count) { k in ReviewParser.patch(of: messages[parseList[k]]).map(PatchIndex.init) }
        var originals: [PatchIndex] = []
        var renumber = [Int32](repeating: -1, count: parsed.count)
        for (k, p) in parsed.enumerated() {
            if let p { renumber[k] = Int32(originals.count); originals.append(p) }
        }
        for i in 0..<n where originalOf[i] >= 0 { originalOf[i] = renumber[Int(originalOf[i])] }
        self.ancestors = ancestors
        self.original = originalOf
        self.originals = originals
    }

    func analyze(_ messages: [Message], _ i: Int) -> ReviewAnalysis {
        let thread = ThreadContext(ancestors: ancestors[i].map { messages[Int($0)] })
        let o = original[i]
        return ReviewParser.analyze(messages[i], thread: thread, alignWith: o >= 0 ? originals[Int(o)] : nil)
    }
}
