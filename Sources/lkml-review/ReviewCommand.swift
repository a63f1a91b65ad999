// `lkml-review review FILE|-|ID|URL`: the main job. Reads a message, an mbox or a fetched thread,
// runs Review and Rules over it and prints the review summary.
import ArgumentParser
import Foundation
import Lore
import Mailbox
import Report
import Rules

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown, json, sarif, text
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
        Maildir folder, - for standard input, or the message-id or lore link of any message of a \
        thread, which is then fetched from lore.kernel.org (see 'lkml-review fetch --help').

        For each patch: version, author, lore link; the trailers given in the thread (conditional \
        ones marked, cover-letter ones applied to every patch); files and functions touched; the \
        reviewers' remarks by file and line with the quoted code, and whether the author answered; \
        the rule findings (lock windows, lock and refcount balance) linked to the remarks that \
        discuss them; the reviewers' questions; the thread's timeline.

        Exit status: 0 when no finding reaches the --fail-on level (or none is given), 1 when one \
        does, 2 for a usage or input error.
        """
    )

    @Argument(help: ArgumentHelp("A message or mbox file, a Maildir folder, '-' for standard input, or a message-id or lore link to fetch.", valueName: "INPUT"))
    var input: String

    @Option(help: ArgumentHelp("Output format: markdown, json, sarif or text (file:line: severity: [rule] message).", valueName: "FORMAT"))
    var format: ReportFormat = .markdown

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to FILE instead of standard output: a regular file is replaced atomically (a temporary file renamed into place, its mode kept); a symlink is followed; a FIFO or device is written in place.", valueName: "FILE"))
    var output: String?

    @Option(help: ArgumentHelp("Colour the text format: auto (a terminal, and NO_COLOR unset), always or never.", valueName: "WHEN"))
    var color: ColorMode = .auto

    @Option(name: .customLong("fail-on"), help: ArgumentHelp("Exit with status 1 when a finding the patch introduces or keeps is at this level or above: note, warning or error.", valueName: "LEVEL"))
    var failOn: Severity?

    @Option(help: ArgumentHelp("A YAML file of lock APIs and get/put pairs that adds to or overrides the built-in tables (see 'lkml-review rules').", valueName: "FILE"))
    var rules: String?

    @Option(help: ArgumentHelp("A kernel source checkout: check remarks' quoted lines against it and analyse whole functions (default: $LKML_REVIEW_TREE, else git config lkml-review.tree).", valueName: "PATH"))
    var tree: String?

    @Option(name: .customLong("lore"), help: ArgumentHelp("Public-inbox to fetch an ID from (default https://lore.kernel.org/all/).", valueName: "URL"))
    var lore: String?

    @Flag(help: "For an ID: use only the cache.")
    var offline = false

    @Flag(help: ArgumentHelp("When a reply's patch is not in the input (one saved mail), fetch the thread of its In-Reply-To so that its remarks are aligned with the original patch. With --offline, only the cache is used."))
    var thread = false

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Cache folder for fetched threads instead of $XDG_CACHE_HOME/lkml-review.", valueName: "DIR"))
    var cacheDirectory: String?

    @Option(help: ArgumentHelp("Quoted code lines shown above each remark's line.", valueName: "N"))
    var context: Int = 4

    @Flag(name: .customLong("no-rules"), help: "Do not run the rules.")
    var noRules = false

    @OptionGroup(title: "Limits")
    var mailLimits: MailLimitOptions

    @OptionGroup(title: "Limits")
    var ruleLimits: RuleLimitOptions

    @OptionGroup(title: "Limits")
    var threadLimits: ThreadLimitOptions

    func validate() throws {
        if context < 0 || context > 50 { throw ValidationError("--context must be between 0 and 50.") }
        if output?.isEmpty == true { throw ValidationError("-o needs a file name.") }
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
            try Self.fail("\(input): \(error)")
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

    func runReport() throws {
        let environment = ProcessInfo.processInfo.environment
        let readOptions = mailLimits.readOptions()
        let maxFetchSize = threadLimits.maxFetchSize.bytes
        var messages = try ReviewInput.messages(for: input, lore: lore, offline: offline, cacheDirectory: cacheDirectory,
                                                environment: environment, readOptions: readOptions, maxFetchSize: maxFetchSize)
        if thread {
            let fetcher = try ReviewInput.fetcher(offline: offline, cacheDirectory: cacheDirectory, environment: environment, input: input,
                                                  maxFetchSize: maxFetchSize)
            let progress = TerminalProgress.forStandardError(label: "thread")
            let completed = ThreadCompletion.complete(messages, fetcher: fetcher, lore: lore, environment: environment, progress: progress,
                                                      readOptions: readOptions)
            for t in completed.fetched {
                Self.note("--thread: \(t.messageCount) message(s) of the thread of <\(t.messageID.value)> from \(t.url)")
            }
            for n in completed.notes { Self.note("--thread: " + n) }
            messages = completed.messages
        }
        var builder = ReportBuilder()
        builder.options.contextLines = context
        builder.options.maxThreadMessages = threadLimits.maxThreadSize
        let config = GitConfig(environment: environment)
        let tree: String?
        do {
            tree = try TreeSetting.resolve(option: self.tree, environment: environment, configuredTree: { config.path("tree") },
                                           warn: { Self.note($0) })?.path
        } catch {
            throw ReviewInputError(error.description)
        }
        builder.treeRoot = tree
        if !noRules {
            let tables: RuleTables
            do {
                tables = try RuleTableOptions.load(rules)
            } catch let e as CLIError {
                throw ReviewInputError("--rules \(e.description)")
            }
            builder.seriesFindings = RuleFindings.seriesSource(engine: RuleEngine(tables: tables, limits: ruleLimits.ruleLimits),
                                                               trees: TreeSource(root: tree, environment: environment))
        }
        let report = builder.build(input: input, threads: ThreadSet(messages: messages))
        if report.series.isEmpty {
            throw ReviewInputError("\(input): no patch and no reply quoting a patch (\(messages.count) message\(messages.count == 1 ? "" : "s") read)")
        }

        let text: String
        switch format {
        case .markdown: text = MarkdownRenderer(contextLines: context).render(report)
        case .json: text = try JSONRenderer().render(report)
        case .sarif: text = try SARIFRenderer().render(report)
        case .text: text = TextRenderer(color: useColor(environment)).render(report)
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
        if let failOn, report.hasFindings(atOrAbove: failOn) {
            throw ExitCode(1)
        }
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

    /// The messages of INPUT: a file or folder, standard input, or a thread fetched by message-id/link.
    static func messages(for input: String, lore: String?, offline: Bool, cacheDirectory: String?,
                         environment: [String: String], readOptions: ReadOptions = ReadOptions(),
                         maxFetchSize: Int = FetchOptions().maxSize) throws -> [Message] {
        if input == "-" || FileManager.default.fileExists(atPath: input) {
            do {
                return try MailReader.read(path: input, options: readOptions).messages
            } catch let e as MailboxError {
                // The reader's message names the file already.
                let d = e.description
                if input == "-" {
                    throw ReviewInputError(d.hasPrefix("-: ") ? "standard input: " + d.dropFirst(3) : "standard input: \(d)")
                }
                throw ReviewInputError(d.hasPrefix(input + ": ") ? d : "\(input): \(d)")
            }
        }
        guard ThreadReference.looksLikeReference(input) else {
            throw ReviewInputError("\(input): no such file, and not a message-id or lore link")
        }
        do {
            let reference = try ThreadReference(parsing: input)
            let fetcher = try fetcher(offline: offline, cacheDirectory: cacheDirectory, environment: environment, input: input,
                                      maxFetchSize: maxFetchSize)
            let progress = TerminalProgress.forStandardError(label: reference.messageID.value)
            let fetched = try fetcher.fetch(reference, lore: lore, environment: environment, progress: progress)
            return try MailReader.read(path: fetched.path, options: readOptions).messages
        } catch let e as LoreError {
            throw ReviewInputError("\(input): \(e.description)")
        } catch let e as MailboxError {
            throw ReviewInputError("\(input): \(e.description)")
        }
    }
}
