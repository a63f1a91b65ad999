import ArgumentParser
import Foundation
import Lore

/// `lkml-review cache list|clear`: the threads kept by `fetch`.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List or clear the threads kept by 'fetch' in $XDG_CACHE_HOME/lkml-review.",
        subcommands: [List.self, Clear.self]
    )

    struct Location: ParsableArguments {
        @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Cache folder instead of $XDG_CACHE_HOME/lkml-review (else ~/.cache/lkml-review).", valueName: "DIR"))
        var cacheDirectory: String?

        func cache() throws -> ThreadCache {
            guard let directory = cacheDirectory ?? ThreadCache.defaultDirectory() else {
                throw ValidationError("Cannot find a cache folder: set XDG_CACHE_HOME or HOME, or use --cache-dir.")
            }
            return ThreadCache(directory: directory)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cached threads and searches, newest first: age, size, messages, message-id (or search URL) and file.")

        @OptionGroup var location: Location

        func run() throws {
            let cache = try location.cache()
            let entries = try cache.list()
            if entries.isEmpty {
                Output.write("No cached threads in \(cache.directory)\n")
                return
            }
            let now = Date().timeIntervalSince1970
            var out = ""
            for entry in entries {
                let count = (try? countMboxMessages(atPath: entry.path).count).map(String.init) ?? "?"
                // A search's answer is kept under `search:` and its URL (InboxSearch.cacheKey).
                let id = entry.messageID.map { $0.hasPrefix(InboxSearch.cacheKeyPrefix) ? Self.printable($0) : "<\(Self.printable($0))>" }
                    ?? "(unknown message-id)"
                out += "\(FetchCommand.age(max(0, now - entry.modified)).padding(toLength: 8, withPad: " ", startingAt: 0)) "
                    + "\(String(entry.size).leftPadded(10)) bytes \(count.leftPadded(5)) msgs  \(id)  \(entry.path)\n"
                if out.utf8.count >= 1 << 16 { Output.write(out); out = "" }
            }
            Output.write(out)
        }

        /// Message-ids come from the network: no control characters reach the terminal.
        static func printable(_ s: String) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.map {
                $0.value < 0x20 || (0x7f..<0xa0).contains($0.value) ? "?" : $0
            }))
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove every cached thread.")

        @OptionGroup var location: Location

        func run() throws {
            let cache = try location.cache()
            let removed = try cache.clear()
            Output.write("Removed \(removed) cached thread\(removed == 1 ? "" : "s") from \(cache.directory)\n")
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
