// `lkml-review review FILE|-|ID|URL`: the main job. Reads a message, an mbox or a fetched thread,
// runs Review and Rules over it and prints the review summary.
import ArgumentParser
import Foundation
import Lore
import Mailbox
import Report
import Review
import Rules

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown, json, sarif, text, reply
}

enum ColorMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

extension Severity: ExpressibleByArgument {}

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Summarise the review of a patch thread: trailers, remarks by line, rule findings, open questions.",
        discussion: """
        INPUT is a message (.eml), an mbox (plain or .gz; a thread or a series with its replies), a \
        Maildir folder, - for standard input, or the message-id or link of any message of a thread, \
        which is then fetched from lore.kernel.org (see 'lkml-review fetch --help' for the forms: \
        <id>, id:, msgid:, rfc822msgid:, mid:, lore, patchwork and patch.msgid.link links, a pasted \
        'Link:' trailer). Without INPUT, standard input is read when it is not a terminal: a \
        message-id or link on its first non-blank line is fetched, anything else is read as mail.

        For each patch: version, author, lore link; the trailers given in the thread (conditional \
        ones marked, cover-letter ones applied to every patch); files and functions touched; the \
        reviewers' remarks by file and line with the quoted code, and whether the author answered; \
        the rule findings (lock windows, lock and refcount balance) linked to the remarks that \
        discuss them; the reviewers' questions; the thread's timeline.

        Defaults from git config: lkml-review.format, lkml-review.context, lkml-review.fail-on, \
        lkml-review.tree; b4.midmask (where to fetch) and b4.linkmask (the links printed).

        Exit status: 0 when no finding reaches the --fail-on level (or none is given), 1 when one \
        does, 2 for a usage or input error.
        """
    )

    @Argument(help: ArgumentHelp("A message or mbox file, a Maildir folder, '-' for standard input, or a message-id or link to fetch; none: standard input.", valueName: "INPUT"),
              completion: .file())
    var input: String?

    @Option(help: ArgumentHelp("Output format: markdown (default), json, sarif, text (file:line: severity: [rule] message) or reply (a plain-text reply mail per patch with findings, an mbox for several); the default from git config lkml-review.format.", valueName: "FORMAT"))
    var format: ReportFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to FILE instead of standard output: a regular file is replaced atomically (a temporary file renamed into place, its mode kept); a symlink is followed; a FIFO or device is written in place.", valueName: "FILE"),
            completion: .file())
    var output: String?

    @Option(help: ArgumentHelp("Colour the text format: auto (a terminal, and NO_COLOR unset), always or never.", valueName: "WHEN"))
    var color: ColorMode = .auto

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit with status 1 when a finding the patch introduces or keeps is at this level or above: note, warning or error (default from git config lkml-review.fail-on).", valueName: "LEVEL"))
    var failOn: Severity?

    @OptionGroup var tables: TablesOption

    @Option(help: ArgumentHelp("A kernel source checkout: check remarks' quoted lines against it and analyse whole functions (default: $LKML_REVIEW_TREE, else git config lkml-review.tree).", valueName: "PATH"),
            completion: .directory)
    var tree: String?

    @Option(name: .customLong("lore"), help: ArgumentHelp("Public-inbox to fetch an ID from (default: $LKML_REVIEW_LORE, else git config b4.midmask, else https://lore.kernel.org/all/).", valueName: "URL"))
    var lore: String?

    @Flag(help: "Use only the cache, for an ID (its thread, earlier revisions and change-id search) and for the original patch of flattened text (also when LKML_REVIEW_OFFLINE is set).")
    var offline = false

    @Flag(inversion: .prefixedNo, help: ArgumentHelp("Fetch the thread of a reply's In-Reply-To when the reply's patch is not in the input, so that its remarks are aligned with the original patch. The default for a few saved messages (not an archive, not a reserved-domain Message-ID such as example.org or .invalid, not with --offline); --thread asks for it whatever the input (with --offline, from the cache), --no-thread never fetches, nor searches lore for the original patch of flattened text."))
    var thread: Bool?

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Cache folder for fetched threads instead of $XDG_CACHE_HOME/lkml-review.", valueName: "DIR"),
            completion: .directory)
    var cacheDirectory: String?

    @Option(help: ArgumentHelp("Quoted code lines shown above each remark's line, 0 to 50 (default 4, or git config lkml-review.context).", valueName: "N"))
    var context: Int?

    @Flag(name: .customLong("no-rules"), help: "Do not run the rules.")
    var noRules = false

    @OptionGroup(title: "Shorter reports")
    var filters: ReportFilterOptions

    @Flag(name: .customLong("no-revisions"), help: "Do not follow the revisions of a series in the input (v1, v2, and so on) into each other, nor fetch the earlier revisions a fetched series links to or its b4 change-id finds in a public-inbox search.")
    var noRevisions = false

    @Flag(help: "With several revisions of a series in the input (v2, v3, and so on): add per-patch interdiffs from vN to vN+1 to the Revisions section (a diff of the two patches' diff lines).")
    var interdiff = false

    @OptionGroup(title: "Limits")
    var mailLimits: MailLimitOptions

    @OptionGroup(title: "Limits")
    var ruleLimits: RuleLimitOptions

    @OptionGroup(title: "Limits")
    var threadLimits: ThreadLimitOptions

    @OptionGroup(title: "Limits")
    var window: ThreadWindowFlags

    static let contextRange = 0...50

    func validate() throws {
        if let context, !Self.contextRange.contains(context) { throw ValidationError("--context must be between 0 and 50.") }
        if output?.isEmpty == true { throw ValidationError("-o needs a file name.") }
        try tables.validate()
        if input == nil && isatty(STDIN_FILENO) == 1 {
            throw ValidationError("Missing expected argument '<INPUT>' (a file, '-', a message-id or a link; or pipe one to standard input).")
        }
    }

    func run() throws {
        do {
            try runReport()
        } catch let e as ExitCode {
            throw e
        } catch let e as Output.StandardOutputError {
            throw e
        } catch let e as ReviewInputError {
            try Self.fail(e.message)
        } catch {
            try Self.fail("\(input ?? "standard input"): \(error)")
        }
    }

    /// One informational line on standard error.
    static func note(_ message: String) {
        Output.errorLine("lkml-review: " + SafeText.oneLine(message))
    }

    /// One line on standard error, then exit status 2.
    static func fail(_ message: String) throws -> Never {
        Output.errorLine("lkml-review: " + SafeText.oneLine(message))
        throw ExitCode(2)
    }

    /// The settings a review runs with: each option as given, else its git config default, else
    /// the built-in default. A git config value that cannot be used is an input error naming the key.
    struct Settings {
        var format: ReportFormat
        var context: Int
        var failOn: Severity?
        var linkmask: String?
    }

    func settings(_ config: GitConfig) throws -> Settings {
        func configured<T>(_ key: GitConfig.Key, expected: String, _ parse: (String) -> T?) throws -> T? {
            guard let value = config.string(key) else { return nil }
            guard let parsed = parse(value) else {
                throw ReviewInputError("git config \(key.rawValue): \"\(value)\" is not \(expected)")
            }
            return parsed
        }
        let format = try self.format
            ?? configured(.format, expected: "one of " + ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")) {
                ReportFormat(rawValue: $0.lowercased())
            }
            ?? .markdown
        let context = try self.context
            ?? configured(.context, expected: "a number from 0 to 50") { Int($0).flatMap { Self.contextRange.contains($0) ? $0 : nil } }
            ?? 4
        let failOn = try self.failOn
            ?? configured(.failOn, expected: "one of note, warning, error") { Severity(rawValue: $0.lowercased()) }
        let linkmask = try configured(.linkmask, expected: "an http:// or https:// URL (with %s for the message-id)") { value -> String? in
            let lower = value.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://"),
                  !value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) else { return nil }
            return value
        }
        return Settings(format: format, context: context, failOn: failOn, linkmask: linkmask)
    }

    func runReport() throws {
        let environment = ProcessInfo.processInfo.environment
        let config = GitConfig(environment: environment)
        let settings = try settings(config)
        try filters.check(format: settings.format.rawValue)
        let filter = filters.filter
        let offline = self.offline || ThreadLookup.offline(environment)
        let readOptions = mailLimits.readOptions()
        let maxFetchSize = threadLimits.maxFetchSize.bytes
        let request = ReviewInput.Request(lore: lore, offline: offline, cacheDirectory: cacheDirectory, environment: environment,
                                          config: config, readOptions: readOptions, maxFetchSize: maxFetchSize,
                                          earlierRevisions: !noRevisions)
        // A few saved mails whose patch is not in them are read whole, so that their thread is
        // fetched first (LoneReply); any other file, folder or standard input's mail is reviewed
        // thread by thread as it is read (StreamingReview.swift), its reply mails included; a fetched
        // thread and --thread read it whole.
        // Review text copied from a web archive is read whole too: it is re-segmented first
        // (FlattenedInput). The few mails are read once and used as they are.
        let automatic = LoneReply.mode(thread: thread, offline: offline, fetchedInput: false) == .automatic
        // Standard input is looked at once: a message-id or link on its first line names a thread;
        // mail is read on up to LoneReply.maxSavedBytes, so that a few mails piped in (mutt's
        // pipe-message) are saved mails too; the rest, if any, is streamed after these bytes.
        var piped: StandardInput.Piped? = nil
        var few: [Message]? = nil
        if input == nil || input == "-" {
            let p = try StandardInput.piped(withoutInput: input == nil, limit: LoneReply.maxSavedBytes)
            if case .mail(let all, complete: true) = p { few = LoneReply.fewMails(standardInput: all, readOptions: readOptions) }
            piped = p
        } else {
            few = LoneReply.fewMails(input, readOptions: readOptions)
        }
        let lone = automatic && settings.format != .reply && !LoneReply.defaultParents(few ?? []).isEmpty
        let saved = lone || few?.contains(where: Flattened.isFlattened) == true ? few : nil
        let source = thread == true || saved != nil ? nil : try ReviewSource.of(input, readOptions: readOptions, piped: piped)
        if case .stream(let name, let read)? = source {
            let (builder, engine, tree) = try makeBuilder(settings, config: config, environment: environment)
            let review = StreamedReview(builder: builder, engine: engine, tree: tree, environment: environment,
                                        window: window.options(), format: settings.format, contextLines: settings.context,
                                        color: useColor(environment), inputName: name, filter: filter, brief: filters.brief)
            let result = try review.run(output: StreamOutput(path: output), read: read)
            if settings.format == .reply && result.replies == 0 { Self.note("no finding in \(name): nothing to reply to") }
            if let failOn = settings.failOn, result.stream.hasFindings(atOrAbove: failOn) { throw ExitCode(1) }
            return
        }
        var (messages, inputName): ([Message], String)
        if let saved {
            (messages, inputName) = (saved, input ?? "-")
        } else if case .fetch(let line)? = source {
            (messages, inputName) = (try ReviewInput.fetched(line, request), line)
        } else {
            (messages, inputName) = try ReviewInput.messages(for: input, request, piped: piped)
        }
        let (builder, _, _) = try makeBuilder(settings, config: config, environment: environment)
        // Flattened text's original patch: the input's, the cache's, the tree's files, else a lore
        // search's (not offline, not with --no-thread).
        let search = thread == false || !messages.contains(where: Flattened.isFlattened) ? nil
            : FlattenedInput.OriginalSearch.make(offline: offline, lore: lore, cacheDirectory: cacheDirectory, environment: environment,
                                                 config: config, maxFetchSize: maxFetchSize, inputName: inputName, note: { Self.note($0) })
        let flattened = FlattenedInput.resegment(messages, inputName: inputName,
                                                 cacheDirectory: cacheDirectory ?? ThreadCache.defaultDirectory(environment: environment),
                                                 search: search, tree: builder.treeRoot.map { TreeSource(root: $0, environment: environment) },
                                                 readOptions: readOptions)
        for n in flattened.log { Self.note(n) }
        for n in flattened.notes { Self.note(n) }
        messages = flattened.messages
        let fetchedInput = inputName != "-" && !FileManager.default.fileExists(atPath: inputName)
        messages = try LoneReply.complete(messages, mode: LoneReply.mode(thread: thread, offline: offline, fetchedInput: fetchedInput),
                                          fetcher: {
                                              try ReviewInput.fetcher(offline: offline, cacheDirectory: cacheDirectory, environment: environment,
                                                                      input: inputName, maxFetchSize: maxFetchSize)
                                          }, lore: lore, environment: environment, config: config, readOptions: readOptions,
                                          note: { Self.note($0) })
        var report = builder.build(input: inputName, threads: ThreadSet(messages: messages))
        FlattenedInput.annotate(&report, flattened)
        if report.series.isEmpty {
            throw ReviewInputError("\(inputName): no patch and no reply quoting a patch (\(messages.count) message\(messages.count == 1 ? "" : "s") read)")
        }

        let whole = report
        report = filter.apply(report)
        if report.series.isEmpty { Self.note("\(inputName): nothing matches --only, --reviewer or --since") }
        let text: String
        switch settings.format {
        case .markdown where filters.brief, .text where filters.brief:
            text = BriefRenderer(style: settings.format == .markdown ? .markdown : .text).render(report)
        case .markdown: text = MarkdownRenderer(contextLines: settings.context).render(report)
        case .json: text = try JSONRenderer().render(report)
        case .sarif: text = try SARIFRenderer().render(report)
        case .text: text = TextRenderer(color: useColor(environment)).render(report)
        case .reply:
            let replies = ReplyRenderer(messages: messages).render(report)
            if replies.count == 0 {
                Self.note("no finding in \(inputName): nothing to reply to")
                if let failOn = settings.failOn, whole.hasFindings(atOrAbove: failOn) { throw ExitCode(1) }
                return
            }
            text = replies.text
        }
        if let output, output != "-" {
            do {
                try OutputFile.write(text, to: output)
            } catch {
                throw ReviewInputError("-o \(output): \(error)")
            }
        } else {
            Output.write(text)
        }
        if let failOn = settings.failOn, whole.hasFindings(atOrAbove: failOn) {
            throw ExitCode(1)
        }
    }

    /// The report builder of these settings, with the rule engine (nil with --no-rules) and the tree.
    func makeBuilder(_ settings: Settings, config: GitConfig, environment: [String: String]) throws
        -> (builder: ReportBuilder, engine: RuleEngine?, tree: String?) {
        var builder = ReportBuilder()
        builder.options.contextLines = settings.context
        builder.options.maxThreadMessages = threadLimits.maxThreadSize
        if let linkmask = settings.linkmask { builder.options.loreBase = linkmask }
        let tree: String?
        do {
            tree = try TreeSetting.resolve(option: self.tree, environment: environment, configuredTree: { config.path(.tree) },
                                           warn: { Self.note($0) })?.path
        } catch {
            throw ReviewInputError(error.description)
        }
        builder.treeRoot = tree
        builder.revisions.enabled = !noRevisions
        builder.revisions.interdiff = interdiff
        var engine: RuleEngine?
        if !noRules {
            let ruleTables: RuleTables
            do {
                ruleTables = try RuleTableOptions.load(tables.path)
            } catch let e as CLIError {
                throw ReviewInputError("--tables \(e.description)")
            }
            let e = RuleEngine(tables: ruleTables, limits: ruleLimits.ruleLimits)
            engine = e
            builder.seriesFindings = RuleFindings.seriesSource(engine: e, trees: TreeSource(root: tree, environment: environment))
        }
        return (builder, engine, tree)
    }

    func useColor(_ environment: [String: String]) -> Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            if let o = output, o != "-" { return false }
            if let nc = environment["NO_COLOR"], !nc.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return isatty(STDOUT_FILENO) == 1
        }
    }
}

/// An input problem, shown as one line naming the input.
struct ReviewInputError: Error, CustomStringConvertible {
    var message: String
    init(_ m: String) { message = m }
    /// A reader's error on the file or folder `input` (its message names the file already, or gets
    /// the name in front).
    init(reading input: String, _ e: MailboxError) {
        let d = e.description
        message = d.hasPrefix(input + ": ") ? d : "\(input): \(d)"
    }
    var description: String { message }
}

enum ReviewInput {
    /// The fetcher for IDs and --thread: the cache folder, CA store and offline mode.
    static func fetcher(offline: Bool, cacheDirectory: String?, environment: [String: String], input: String,
                        maxFetchSize: Int = FetchOptions().maxSize) throws -> ThreadFetcher {
        guard let directory = cacheDirectory ?? ThreadCache.defaultDirectory(environment: environment) else {
            throw ReviewInputError("\(input): cannot find a cache folder: set XDG_CACHE_HOME or HOME, or use --cache-dir")
        }
        var transfer = HTTPRequest(url: "")
        transfer.caFile = environment["CURL_CA_BUNDLE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["SSL_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let options = FetchOptions(maxSize: maxFetchSize, offline: offline, transfer: transfer)
        return ThreadFetcher(client: CurlHTTPClient(), cache: ThreadCache(directory: directory), options: options)
    }

    /// How to read or fetch an input.
    struct Request {
        var lore: String?
        var offline: Bool
        var cacheDirectory: String?
        var environment: [String: String]
        var config: GitConfig
        var readOptions = ReadOptions()
        var maxFetchSize = FetchOptions().maxSize
        /// Also fetch the earlier revisions the fetched series' changelogs link to, and search for
        /// the revisions of its change-id.
        var earlierRevisions = true
    }

    /// The messages of INPUT and the name the report gives it: a file or folder, standard input
    /// (`-`, or no INPUT: then a message-id or link on its first line is fetched), or a thread
    /// fetched by message-id or link.
    static func messages(for input: String?, _ request: Request,
                         piped: StandardInput.Piped? = nil) throws -> (messages: [Message], name: String) {
        guard let input, input != "-" else {
            switch try piped ?? StandardInput.piped(withoutInput: input == nil, limit: 0) {
            case .reference(let line):
                return (try fetched(line, request), line)
            case .mail(let bytes, _):
                var messages: [Message] = []
                try StandardInput.forEachMail(prefix: bytes, options: request.readOptions) { messages.append($0) }
                return (messages, "-")
            }
        }
        if FileManager.default.fileExists(atPath: input) {
            do {
                return (try MailReader.read(path: input, options: request.readOptions).messages, input)
            } catch let e as MailboxError {
                throw ReviewInputError(reading: input, e)
            }
        }
        guard ThreadReference.looksLikeReference(input) else {
            throw ReviewInputError("\(input): no such file, and not a message-id or link")
        }
        return (try fetched(input, request), input)
    }

    /// The threads of the earlier revisions a fetched series links to in its changelogs (b4's `Link to
    /// v2:`, `v1: <lore link>`), fetched from the server the first fetch used (the link gives the
    /// Message-ID only); at most eight, each failure a note.
    static func earlierRevisions(of messages: [Message], fetcher: ThreadFetcher, _ request: Request) -> [Message] {
        var known = Set(messages.compactMap(\.messageID))
        var out: [Message] = []
        for link in EarlierRevisions.links(in: messages).prefix(8) {
            guard let linked = try? ThreadReference(parsing: link), !known.contains(linked.messageID.value) else { continue }
            let reference = ThreadReference(messageID: linked.messageID)
            do {
                let fetched = try ThreadLookup.fetch(reference, lore: request.lore, environment: request.environment, config: request.config,
                                                     note: { ReviewCommand.note($0) }) { server throws(LoreError) in
                    try fetcher.fetch(reference.messageID, from: server)
                }
                let more = try MailReader.read(path: fetched.path, options: request.readOptions).messages
                for m in more where m.messageID.map({ known.insert($0).inserted }) ?? true { out.append(m) }
                ReviewCommand.note("fetched the earlier revision <\(reference.messageID.value)> that the series links to")
            } catch {
                ReviewCommand.note("the earlier revision <\(reference.messageID.value)> that the series links to was not fetched: \(error)")
            }
        }
        return out
    }

    /// The messages of the thread `input` names, fetched (or from the cache).
    static func fetched(_ input: String, _ request: Request) throws -> [Message] {
        do {
            let reference = try ThreadReference(parsing: input)
            let fetcher = try fetcher(offline: request.offline, cacheDirectory: request.cacheDirectory, environment: request.environment,
                                      input: input, maxFetchSize: request.maxFetchSize)
            let progress = TerminalProgress.forStandardError(label: reference.messageID.value)
            let fetched = try ThreadLookup.fetch(reference, lore: request.lore, environment: request.environment, config: request.config,
                                                 note: { ReviewCommand.note($0) }) { server throws(LoreError) in
                try fetcher.fetch(reference.messageID, from: server, progress: progress)
            }
            var messages = try MailReader.read(path: fetched.path, options: request.readOptions).messages
            if request.earlierRevisions {
                messages += earlierRevisions(of: messages, fetcher: fetcher, request)
                messages += revisionsByChangeID(of: messages, fetcher: fetcher, request)
                // One input: the named thread first, then the revisions, each message its place.
                for i in messages.indices { messages[i].index = i }
            }
            return messages
        } catch let e as LoreError {
            throw ReviewInputError("\(input): \(e.description)")
        } catch let e as MailboxError {
            throw ReviewInputError("\(input): \(e.description)")
        }
    }
}
