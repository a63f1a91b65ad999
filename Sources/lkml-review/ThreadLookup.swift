// Fetching the thread a message-id or link names, for `review` and `fetch`: the server as
// `InboxServer.resolve` picks it (b4.midmask read by `GitConfig`), and a second ask at the same
// server's `all` inbox when a pasted link's list inbox does not know the message.
import Foundation
import Lore

enum ThreadLookup {
    /// `LKML_REVIEW_OFFLINE`: set (not empty, not `0`), every fetch uses only the cache, as `--offline`.
    static let offlineVariable = "LKML_REVIEW_OFFLINE"

    static func offline(_ environment: [String: String]) -> Bool {
        guard let value = environment[offlineVariable] else { return false }
        return !value.isEmpty && value != "0"
    }

    /// The server for `reference` and where the choice came from.
    static func server(for reference: ThreadReference, lore: String?, environment: [String: String],
                       config: GitConfig) throws(LoreError) -> (server: InboxServer, source: InboxServer.Source) {
        try InboxServer.resolve(reference: reference, option: lore, environment: environment,
                                gitMidmask: { config.string(.midmask) })
    }

    /// The inbox a public-inbox search asks: `--lore`, then `LKML_REVIEW_LORE`, then `git config
    /// b4.searchmask` (its part before `?`), then `b4.midmask`, then lore.kernel.org/all. An inbox
    /// that is no list (lore's `/r/` redirector, or a bare host) is searched as `/all/`.
    static func searchServer(lore: String?, environment: [String: String], config: GitConfig) throws(LoreError) -> InboxServer {
        let resolved = try InboxServer.resolve(option: lore, environment: environment, gitMidmask: { config.string(.midmask) })
        var server = resolved.server
        if resolved.source == .gitConfig || resolved.source == .builtIn,
           let mask = config.string(.searchmask), let q = mask.firstIndex(of: "?") {
            let head = String(mask[..<q])
            server = try InboxServer(midmask: (head.hasSuffix("/") ? head : head + "/") + "%s")
        }
        return server.searchInbox
    }

    /// Fetches with `get` from the chosen server. A link to a list's inbox
    /// (`https://lore.kernel.org/linux-iio/ID/`) whose server answers 404 is asked again at the
    /// same server's `all` inbox (`note` tells the user); when that fails too, the first error is
    /// reported, with the second.
    static func fetch(_ reference: ThreadReference, lore: String?, environment: [String: String], config: GitConfig,
                      note: (String) -> Void,
                      _ get: (InboxServer) throws(LoreError) -> FetchedThread) throws(LoreError) -> FetchedThread {
        let (server, source) = try server(for: reference, lore: lore, environment: environment, config: config)
        do {
            return try get(server)
        } catch {
            guard source == .pastedURL, case .unknownMessageID = error, let all = server.allInbox else { throw error }
            note("\(server.messageURL(for: reference.messageID)) does not know the message; asking \(all.messageURL(for: reference.messageID))")
            return try get(all)
        }
    }
}
