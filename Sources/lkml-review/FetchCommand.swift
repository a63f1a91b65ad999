import ArgumentParser
import Foundation
import Lore

/// `lkml-review fetch ID`: download a thread's mbox from a public-inbox, with the cache.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetch a whole mail thread by message-id from lore.kernel.org or another public-inbox.",
        discussion: """
        ID may be written msgid@host, <msgid@host>, id:msgid@host, msgid:msgid@host, rfc822msgid:msgid@host, mid:msgid%40host, or pasted as a link: https://lore.kernel.org/LIST/ID/ (also …/ID/T/, …/ID/t/, …/ID/raw, …/ID/t.mbox.gz, #anchors, %40 for @), https://patch.msgid.link/ID, a patchwork link …/project/NAME/patch/ID/ (the patch's Message-ID in the URL), or a whole 'Link: URL' trailer line.

        The server is, in order: the inbox of a pasted lore link (when it does not know the message, the same server's /all/ inbox), --lore, the environment variable LKML_REVIEW_LORE, git config b4.midmask (a URL with %s for the message-id), and https://lore.kernel.org/all/. patch.msgid.link and patchwork links name no inbox: the server is chosen as for a bare ID.

        The thread is downloaded as ID/t.mbox.gz, decoded as it arrives, and kept in $XDG_CACHE_HOME/lkml-review (else ~/.cache/lkml-review). Proxies come from the usual environment variables (https_proxy, http_proxy, all_proxy, no_proxy); CURL_CA_BUNDLE or SSL_CERT_FILE replace the system's CA store.

        Prints where the thread mbox is and how many messages it holds (on standard error with -o -).
        """
    )

    @Argument(help: ArgumentHelp("Message-id or public-inbox link of any message in the thread.", valueName: "ID"))
    var id: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Also write the thread mbox to FILE (written atomically); '-' writes it to standard output.", valueName: "FILE"),
            completion: .file())
    var output: String?

    @Option(name: .customLong("lore"), help: ArgumentHelp("Public-inbox to ask: a base URL such as https://lore.kernel.org/all/ or a URL with %s for the message-id.", valueName: "URL"))
    var lore: String?

    @Flag(help: "Use only the cache; fail when the thread is not there (also when LKML_REVIEW_OFFLINE is set).")
    var offline = false

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the cache (with no -o, the mbox goes to a temporary file).")
    var noCache = false

    @Option(name: .customLong("cache-ttl"), help: ArgumentHelp("Use a cached copy younger than SECONDS without asking the server; 0 always asks.", valueName: "SECONDS"))
    var cacheTTL: Double = 600

    @Option(name: [.customLong("max-size"), .customLong("max-fetch-size")], help: ArgumentHelp("Refuse threads whose decoded mbox is larger than SIZE (bytes; K, M and G suffixes).", valueName: "SIZE"))
    var maxSize = ByteSize(FetchOptions().maxSize)

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Cache folder instead of $XDG_CACHE_HOME/lkml-review.", valueName: "DIR"),
            completion: .directory)
    var cacheDirectory: String?

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Give up connecting after SECONDS.", valueName: "SECONDS"))
    var connectTimeout: Double = 20

    @Option(name: .customLong("stall-timeout"), help: ArgumentHelp("Give up when less than 1 KiB/s arrives for SECONDS.", valueName: "SECONDS"))
    var stallTimeout: Int = 30

    @Option(help: ArgumentHelp("Retries after connection errors, timeouts, 429 and 5xx answers (never after other 4xx); a Retry-After up to the stall timeout is waited for.", valueName: "N"))
    var retries: Int = 3

    func validate() throws {
        if offline && noCache { throw ValidationError("--offline reads only the cache; it cannot be combined with --no-cache.") }
        if !(cacheTTL >= 0) { throw ValidationError("--cache-ttl must be 0 or more seconds.") }
        if maxSize.bytes <= 0 { throw ValidationError("--max-size must be a positive number of bytes.") }
        if !(connectTimeout > 0) { throw ValidationError("--connect-timeout must be positive.") }
        if stallTimeout <= 0 { throw ValidationError("--stall-timeout must be positive.") }
        if retries < 0 || retries > 20 { throw ValidationError("--retries must be between 0 and 20.") }
        if output?.isEmpty == true { throw ValidationError("-o needs a file name or '-'.") }
    }

    func run() throws {
        // A fetch that fails is an input error: one line naming the ID, exit status 2.
        do {
            try runFetch()
        } catch let e as LoreError {
            throw CLIError("\(id): \(e.description)")
        }
    }

    func runFetch() throws {
        let environment = ProcessInfo.processInfo.environment
        let offline = self.offline || ThreadLookup.offline(environment)
        if offline && noCache {
            throw CLIError("\(ThreadLookup.offlineVariable) is set: only the cache may be read, and --no-cache leaves none")
        }
        let reference = try ThreadReference(parsing: id)
        let config = GitConfig(environment: environment)
        // The server is resolved before anything else: a bad --lore is reported even when cached.
        _ = try ThreadLookup.server(for: reference, lore: lore, environment: environment, config: config)
        let messageID = reference.messageID

        var transfer = HTTPRequest(url: "", connectTimeout: connectTimeout, lowSpeedTime: stallTimeout)
        transfer.caFile = environment["CURL_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let options = FetchOptions(maxSize: maxSize.bytes, cacheTTL: cacheTTL, offline: offline,
                                   attempts: retries + 1, transfer: transfer)

        var cache: ThreadCache?
        if !noCache {
            guard let directory = cacheDirectory ?? ThreadCache.defaultDirectory(environment: environment) else {
                throw ValidationError("Cannot find a cache folder: set XDG_CACHE_HOME or HOME, or use --cache-dir or --no-cache.")
            }
            cache = ThreadCache(directory: directory)
        }
        let fetcher = ThreadFetcher(client: CurlHTTPClient(), cache: cache, options: options)
        let progress = TerminalProgress.forStandardError(label: messageID.value)
        func fetch(to destination: String?) throws(LoreError) -> FetchedThread {
            try ThreadLookup.fetch(reference, lore: lore, environment: environment, config: config,
                                   note: { Output.errorLine("note: " + $0) }) { server throws(LoreError) in
                try fetcher.fetch(messageID, from: server, to: destination, progress: progress)
            }
        }

        let result: FetchedThread
        var summaryPath: String
        if let cache {
            do {
                result = try fetch(to: nil)
            } catch {
                if !offline, let entry = cache.entry(for: messageID) {
                    let age = Self.age(max(0, Date().timeIntervalSince1970 - entry.modified))
                    Output.errorLine("note: a cached copy \(age) old exists; --offline uses it")
                }
                throw error
            }
            summaryPath = result.path
            if let output {
                try Self.copy(result.path, to: output)
                if output != "-" { summaryPath = output }
            }
        } else if let output, output != "-" {
            // Fetched beside the other temporary files, then written the way every -o writes.
            let temporary = FileManager.default.temporaryDirectory.path + "/lkml-review-"
                + ThreadCache(directory: "/").fileName(for: messageID)
            defer { unlink(temporary) }
            result = try fetch(to: temporary)
            try Self.copy(temporary, to: output)
            summaryPath = output
        } else {
            let temporary = FileManager.default.temporaryDirectory.path + "/lkml-review-"
                + ThreadCache(directory: "/").fileName(for: messageID)
            result = try fetch(to: temporary)
            summaryPath = temporary
            if output == "-" {
                defer { unlink(temporary) }
                try Self.copy(temporary, to: "-")
                summaryPath = "standard output"
            }
        }

        let origin: String
        switch result.origin {
        case .network(let attempts):
            origin = "fetched from \(result.url)" + (result.url != result.requestedURL ? " (redirected from \(result.requestedURL))" : "")
                + (attempts > 1 ? " (\(attempts) attempts)" : "")
        case .cache(let age):
            origin = "from the cache (\(Self.age(age)) old; fetched from \(result.url))"
        }
        let plural = result.messageCount == 1 ? "message" : "messages"
        let summary = "\(summaryPath): \(result.messageCount) \(plural) in thread \(messageID), \(origin)\n"
        // With the mbox on standard output, the summary goes to standard error.
        if output == "-" { Output.errorLine(summary) } else { Output.write(summary) }
    }

    /// Copies the fetched mbox to `-o`: standard output for "-" (a failed write is thrown as
    /// `Output.StandardOutputError`, so that temporary files are removed first), else FILE as
    /// `OutputFile` writes it (a regular file replaced atomically, a symlink followed, a FIFO or
    /// device written in place, a folder an error).
    static func copy(_ source: String, to target: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        if input < 0 { throw CLIError("\(source): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let file: OutputFile?
        do {
            file = target == "-" ? nil : try OutputFile(path: target)
        } catch {
            throw CLIError("-o \(target): \(error)")
        }
        try InputFile.readChunks(input, path: source) { chunk in
            if let file {
                do { try file.write(chunk) } catch { throw CLIError("-o \(target): \(error)") }
            } else {
                try Output.writeChecked(chunk)
            }
        }
        do { try file?.commit() } catch { throw CLIError("-o \(target): \(error)") }
    }

    static func age(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        if s < 86400 { return "\(s / 3600) h" }
        return "\(s / 86400) days"
    }
}
