// The other revisions of a fetched series found by its b4 `change-id:` (issue 16): a public-inbox
// search for `nq:"change-id: <id>"` with whole threads (`t=1`), as b4 looks revisions up, on the
// server `--lore`, `LKML_REVIEW_LORE` or `b4.midmask` names. Each search is a note on standard
// error; none is ever fatal.
import Foundation
import Lore
import Mailbox
import Report

extension ReviewInput {
    /// The most change-ids searched for one input (one search each).
    static let maxChangeIDSearches = 4
    /// The most messages the change-id searches add to the input.
    static let maxSearchedMessages = 1000

    /// The messages of the threads a search for each change-id of `messages` finds (those whose
    /// cover letter or patch mail carries that change-id), less those already in `messages`.
    static func revisionsByChangeID(of messages: [Message], fetcher: ThreadFetcher, _ request: Request,
                                    note: (String) -> Void = { ReviewCommand.note($0) }) -> [Message] {
        let ids = EarlierRevisions.changeIDs(in: messages)
        guard !ids.isEmpty else { return [] }
        let server: InboxServer
        do {
            server = try ThreadLookup.searchServer(lore: request.lore, environment: request.environment, config: request.config)
        } catch {
            note("change-id \(ids[0]): not searched: \(error)")
            return []
        }
        let search = InboxSearch(fetcher: fetcher)
        var known = Set(messages.compactMap(\.messageID))
        var out: [Message] = []
        for id in ids.prefix(maxChangeIDSearches) {
            let what = "the search for change-id \(id) at \(server.inboxURL)"
            do {
                let result = try search.search(.changeID(id), threads: true, in: server)
                let from = if case .cache = result.origin { " (cached)" } else { "" }
                guard result.messageCount > 0 else {
                    note("\(what)\(from): nothing found")
                    continue
                }
                let found = EarlierRevisions.threads(withChangeID: id,
                                                     in: try MailReader.read(path: result.path, options: request.readOptions).messages)
                var added = 0, left = 0
                for m in found where m.messageID.map({ !known.contains($0) }) ?? true {
                    guard out.count < maxSearchedMessages else { left += 1; continue }
                    if let mid = m.messageID { known.insert(mid) }
                    out.append(m)
                    added += 1
                }
                var line = "\(what)\(from): found \(found.count) message\(found.count == 1 ? "" : "s") of the series' threads, \(added) not in the input"
                if found.count < result.messageCount {
                    line += " (\(result.messageCount - found.count) of other threads left out)"
                }
                if left > 0 { line += "; \(left) more left out (at most \(maxSearchedMessages) are added)" }
                note(line)
            } catch let e as LoreError {
                if case .notSearched = e { note("\(what): \(e.description)") } else { note("\(what) failed: \(e.description)") }
            } catch {
                note("\(what) failed: \(error)")
            }
        }
        if ids.count > maxChangeIDSearches {
            note("\(ids.count - maxChangeIDSearches) more change-ids not searched (at most \(maxChangeIDSearches))")
        }
        return out
    }
}
