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

    /// Analyses every message that quotes something, in input order. The patches replies answer
    /// are found and parsed once each; the replies are analysed on all cores.
    public static func analyzeAll(_ messages: [Message]) -> [ReviewAnalysis] {
        var byID: [String: Message] = [:]
        for m in messages { if let id = m.messageID, byID[id] == nil { byID[id] = m } }
        let index = OriginalPatchIndex(messages)
        // Which original each message answers (cheap), then each distinct original parsed once.
        var originalKey = [String?](repeating: nil, count: messages.count)
        var originals: [String: Message] = [:]
        for (i, m) in messages.enumerated() where m.parentID != nil || m.subjectInfo.isReply {
            let thread = ThreadContext(message: m) { byID[$0] }
            if let om = originalMessage(for: m, thread: thread, index: index) {
                let key = om.messageID ?? "#\(om.index)"
                originalKey[i] = key
                originals[key] = om
            }
        }
        let keys = Array(originals.keys)
        let toParse = keys.map { originals[$0]! }
        let parsed = parallelMap(keys.count) { patch(of: toParse[$0]) }
        var found: [String: Patch] = [:]
        for (k, p) in zip(keys, parsed) { if let p { found[k] = p } }
        let patches = found, lookup = byID, answers = originalKey
        return parallelMap(messages.count) { i in
            let m = messages[i]
            let thread = ThreadContext(message: m) { lookup[$0] }
            return analyze(m, thread: thread, original: answers[i].flatMap { patches[$0] })
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
