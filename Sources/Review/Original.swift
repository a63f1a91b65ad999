import Mailbox
import Patch

// Finding the patch a reply answers, and analysing a reply within its thread.

extension ReviewParser {
    /// The message carrying the patch a reply answers: the nearest ancestor with a diff in its body
    /// or a patch attachment; else, among `others`, a patch (not a reply) with the same subject
    /// title, the same version preferred.
    public static func originalMessage(for message: Message, thread: ThreadContext, others: [Message] = []) -> Message? {
        if let m = thread.nearestPatchMessage() { return m }
        let title = message.subjectInfo.title
        guard !title.isEmpty else { return nil }
        let candidates = others.filter {
            !$0.subjectInfo.isReply && $0.subjectInfo.title == title && $0.messageID != message.messageID
                && (!$0.patchAttachments.isEmpty || PatchParser.containsDiff($0.body))
        }
        return candidates.first { $0.subjectInfo.version == message.subjectInfo.version } ?? candidates.first
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

    /// Analyses every message that quotes something, in input order.
    public static func analyzeAll(_ messages: [Message]) -> [ReviewAnalysis] {
        var byID: [String: Message] = [:]
        for m in messages { if let id = m.messageID, byID[id] == nil { byID[id] = m } }
        var patchCache: [String: Patch?] = [:]
        return messages.map { analyze($0, byID: byID, all: messages, cache: &patchCache) }
    }

    static func analyze(_ message: Message, byID: [String: Message], all: [Message]) -> ReviewAnalysis {
        var cache: [String: Patch?] = [:]
        return analyze(message, byID: byID, all: all, cache: &cache)
    }

    static func analyze(_ message: Message, byID: [String: Message], all: [Message],
                        cache: inout [String: Patch?]) -> ReviewAnalysis {
        let thread = ThreadContext(message: message) { byID[$0] }
        var original: Patch? = nil
        if message.parentID != nil || message.subjectInfo.isReply,
           let om = originalMessage(for: message, thread: thread, others: all) {
            let key = om.messageID ?? "#\(om.index)"
            if let cached = cache[key] {
                original = cached
            } else {
                original = patch(of: om)
                cache[key] = .some(original)
            }
        }
        return analyze(message, thread: thread, original: original)
    }
}
