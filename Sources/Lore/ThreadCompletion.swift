// Completing a partial input. A reviewer often saves one reply; its patch is then not in the
// input, and its remarks can only be numbered from the quotes. Fetching the thread of its parent
// brings the original patch, so that Review can align the quotes with it.
import Foundation
import Mailbox

public enum ThreadCompletion {
    /// What completion did: the messages to review and what was fetched or could not be.
    public struct Result: Sendable {
        /// The input's messages first, then those of the fetched threads (duplicates are dropped
        /// later by `ThreadSet`, which keeps the first copy), re-indexed in that order.
        public var messages: [Message]
        public var fetched: [FetchedThread]
        /// One line per parent that could not be fetched, saying why and what follows.
        public var notes: [String]
    }

    /// Parents to fetch: the In-Reply-To (else the last reference) of each reply whose parent is
    /// not in `messages`, in input order, each once.
    public static func missingParents(of messages: [Message]) -> [String] {
        let present = Set(messages.compactMap(\.messageID))
        var seen = Set<String>()
        var result: [String] = []
        for m in messages {
            guard let parent = m.parentID, !present.contains(parent), seen.insert(parent).inserted else { continue }
            result.append(parent)
        }
        return result
    }

    /// Fetches the thread of every missing parent (a public-inbox serves the whole thread for any
    /// of its message-ids). Failures never stop the review: they become notes. `gitMidmask` reads
    /// `git config b4.midmask` (see `InboxServer.resolve`).
    public static func complete(_ messages: [Message], fetcher: ThreadFetcher, lore option: String? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                gitMidmask: () -> String? = { nil },
                                progress: (any FetchProgress)? = nil, readOptions: ReadOptions = ReadOptions()) -> Result {
        complete(messages, parents: missingParents(of: messages), fetcher: fetcher, lore: option, environment: environment,
                 gitMidmask: gitMidmask, progress: progress, readOptions: readOptions)
    }

    /// The same for the threads of `parents` only (the caller chose which missing parents are
    /// worth a fetch); a parent that an earlier fetch brought is not fetched again.
    public static func complete(_ messages: [Message], parents: [String], fetcher: ThreadFetcher, lore option: String? = nil,
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                gitMidmask: () -> String? = { nil },
                                progress: (any FetchProgress)? = nil, readOptions: ReadOptions = ReadOptions()) -> Result {
        var all = messages
        var present = Set(messages.compactMap(\.messageID))
        var fetched: [FetchedThread] = []
        var notes: [String] = []
        for parent in parents where !present.contains(parent) {
            do {
                let reference = try ThreadReference(parsing: "<\(parent)>")
                let thread = try fetcher.fetch(reference, lore: option, environment: environment, gitMidmask: gitMidmask,
                                               progress: progress)
                let contents = try MailReader.read(path: thread.path, options: readOptions)
                fetched.append(thread)
                for m in contents.messages {
                    all.append(m)
                    if let id = m.messageID { present.insert(id) }
                }
                if !present.contains(parent) {
                    notes.append("the thread fetched for <\(parent)> does not hold that message")
                }
            } catch let e as LoreError {
                if case .notCached = e {
                    notes.append("the thread of <\(parent)> is not in the cache (offline): remarks are numbered from the quotes alone")
                } else {
                    notes.append("could not fetch the thread of <\(parent)>: \(e.description); remarks are numbered from the quotes alone")
                }
            } catch {
                notes.append("could not read the thread of <\(parent)>: \(error); remarks are numbered from the quotes alone")
            }
        }
        for i in all.indices { all[i].index = i }
        return Result(messages: all, fetched: fetched, notes: notes)
    }
}
