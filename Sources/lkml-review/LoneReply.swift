// A lone reply's thread: a reviewer saves one reply (or a few) from a mail client, and its patch
// is not in the input. `review` then fetches the thread of its parent by default, so that the
// quotes are aligned with the original patch (`--thread` asks for it whatever the input;
// `--no-thread`, `--offline` and LKML_REVIEW_OFFLINE turn the default off).
import Foundation
import Lore
import Mailbox
import Review

enum LoneReply {
    /// Inputs with more messages than this are threads or archives: never completed by default.
    static let maxMessages = 8

    /// How the thread of a lone reply is fetched.
    enum Mode: Equatable {
        /// `--thread`: every missing parent, whatever the input.
        case asked
        /// The default: the parents `defaultParents` picks.
        case automatic
        /// `--no-thread`, `--offline`, LKML_REVIEW_OFFLINE, or an input fetched by message-id.
        case off
    }

    /// `thread`: the `--thread`/`--no-thread` flag (nil: neither); `fetchedInput`: INPUT named a
    /// thread, which was fetched whole.
    static func mode(thread: Bool?, offline: Bool, fetchedInput: Bool) -> Mode {
        switch thread {
        case true?: return .asked
        case false?: return .off
        case nil: return offline || fetchedInput ? .off : .automatic
        }
    }

    /// The parents worth a fetch by default: for an input of at most `maxMessages` messages, the
    /// In-Reply-To (else last reference) of each reply whose parent and patch are both missing
    /// (no ancestor in the input carries a diff, no patch of the input has its subject), in input
    /// order, each once; never a Message-ID in a reserved domain (`MessageID.isReservedDomain`).
    static func defaultParents(_ messages: [Message]) -> [String] {
        guard !messages.isEmpty, messages.count <= maxMessages else { return [] }
        var byID: [String: Message] = [:]
        for m in messages { if let id = m.messageID, byID[id] == nil { byID[id] = m } }
        let patches = OriginalPatchIndex(messages)
        var parents: [String] = []
        for m in messages {
            guard let parent = m.parentID, byID[parent] == nil, !parents.contains(parent),
                  !MessageID.isReservedDomain(of: parent) else { continue }
            // A patch mail (a later patch of a series, its cover letter missing) carries its patch.
            if !m.subjectInfo.isReply && m.holdsDiff { continue }
            let thread = ThreadContext(message: m) { byID[$0] }
            if ReviewParser.originalMessage(for: m, thread: thread, index: patches) != nil { continue }
            parents.append(parent)
        }
        return parents
    }

    /// Saved mails are at most this large (a few messages, attachments included).
    static let maxSavedBytes = 16 << 20

    /// INPUT's messages when it is a file of a few saved mails (at most `maxMessages` messages and
    /// `maxSavedBytes` bytes); nil otherwise, and for anything unreadable (the streamed review reports
    /// it). Reading stops at the message past `maxMessages`: an archive is not parsed to find out.
    /// The review decides on these whether to read the input whole (a lone reply's thread to fetch,
    /// flattened text to re-segment) and then uses them, so the file is read once.
    static func fewMails(_ input: String?, readOptions: ReadOptions) -> [Message]? {
        guard let input, input != "-",
              let attrs = try? FileManager.default.attributesOfItem(atPath: input),
              attrs[.type] as? FileAttributeType == .typeRegular,
              let size = attrs[.size] as? Int, size <= maxSavedBytes else { return nil }
        struct TooMany: Error {}
        var messages: [Message] = []
        do {
            _ = try MailReader.forEach(path: input, options: readOptions) { m in
                messages.append(m)
                if messages.count > maxMessages { throw TooMany() }
            }
        } catch {
            return nil
        }
        return messages
    }

    /// The messages of standard input's `bytes` (all of it: `StandardInput.piped` found its end) when
    /// they are a few mails (at most `maxMessages`); nil otherwise.
    static func fewMails(standardInput bytes: [UInt8], readOptions: ReadOptions) -> [Message]? {
        guard bytes.count <= maxSavedBytes else { return nil }
        let messages = MailReader.parse(bytes, name: "standard input", options: readOptions).messages
        return messages.count <= maxMessages ? messages : nil
    }

    /// The fetcher's options for a default fetch: one retry and a 10-second connect timeout, so
    /// that a machine without network is not held up (an asked `--thread` keeps the fetch defaults).
    static func automaticOptions(_ options: FetchOptions) -> FetchOptions {
        var o = options
        o.attempts = min(o.attempts, 2)
        o.transfer.connectTimeout = min(o.transfer.connectTimeout, 10)
        return o
    }

    /// Completes `messages` in `mode`; one line on standard error per thread fetched and per
    /// parent that could not be (the review goes on with the quotes alone).
    static func complete(_ messages: [Message], mode: Mode, fetcher: () throws -> ThreadFetcher, lore: String?,
                         environment: [String: String], config: GitConfig, readOptions: ReadOptions,
                         note: (String) -> Void) throws -> [Message] {
        let parents: [String]
        switch mode {
        case .off: return messages
        case .asked: parents = ThreadCompletion.missingParents(of: messages)
        case .automatic: parents = defaultParents(messages)
        }
        guard !parents.isEmpty else { return messages }
        var f: ThreadFetcher
        do {
            f = try fetcher()
        } catch where mode == .automatic {
            note("\(error); the reply's remarks are numbered from its quotes alone")
            return messages
        }
        if mode == .automatic { f.options = automaticOptions(f.options) }
        let progress = TerminalProgress.forStandardError(label: "thread")
        let completed = ThreadCompletion.complete(messages, parents: parents, fetcher: f, lore: lore, environment: environment,
                                                  gitMidmask: { config.string(.midmask) }, progress: progress,
                                                  readOptions: readOptions)
        let label = mode == .asked ? "--thread: " : ""
        for t in completed.fetched {
            let from: String
            if case .cache = t.origin { from = "the cache (\(t.url))" } else { from = t.url }
            note(label + "\(t.messageCount) message\(t.messageCount == 1 ? "" : "s") of the thread of <\(t.messageID.value)> from \(from)"
                 + (mode == .automatic ? " to align the reply's quotes (--no-thread or --offline: not fetched)" : ""))
        }
        for n in completed.notes { note(label + n) }
        return completed.messages
    }
}
