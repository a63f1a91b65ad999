// The limits a hostile input runs into, as command-line options. The defaults are the library's
// own (ParseLimits, ReadOptions, RuleLimits, ReportOptions, FetchOptions); docs/RELIABILITY.md
// lists each with what happens when it is hit.
import ArgumentParser
import Foundation
import Lore
import Mailbox
import Report
import Rules

/// A size in bytes: `1048576`, `512K`, `64M`, `4G` (also `KiB`, `MiB`, `GiB`, `kB`…, all powers of 1024).
struct ByteSize: ExpressibleByArgument, CustomStringConvertible, Sendable {
    var bytes: Int

    init(_ bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 19, let n = Int(digits) else { return nil }
        let shift: Int
        switch text.dropFirst(digits.count).lowercased() {
        case "", "b": shift = 0
        case "k", "kb", "kib": shift = 10
        case "m", "mb", "mib": shift = 20
        case "g", "gb", "gib": shift = 30
        case "t", "tb", "tib": shift = 40
        default: return nil
        }
        // Reject what does not fit an Int instead of wrapping.
        guard n <= Int.max >> shift else { return nil }
        bytes = n << shift
    }

    /// The value as the user would write it: 64M rather than 67108864.
    var description: String {
        for (shift, unit) in [(40, "T"), (30, "G"), (20, "M"), (10, "K")] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)"
    }

    var defaultValueDescription: String { description }
}

/// Limits on reading mail: every one turns into a warning on the message it cuts (or, for the
/// gzip size, an input error), and the other messages are read as usual.
struct MailLimitOptions: ParsableArguments {
    private static let defaults = ReadOptions()

    @Option(name: .customLong("max-message-size"), help: ArgumentHelp("Cut a message larger than SIZE (bytes; K, M and G suffixes) and mark it truncated.", valueName: "SIZE"))
    var maxMessageSize = ByteSize(defaults.limits.maxMessageBytes)

    @Option(name: .customLong("max-headers"), help: ArgumentHelp("Ignore header fields of a message beyond the first N.", valueName: "N"))
    var maxHeaders = defaults.limits.maxHeaderCount

    @Option(name: .customLong("max-header-length"), help: ArgumentHelp("Cut one header field (unfolded) at SIZE.", valueName: "SIZE"))
    var maxHeaderLength = ByteSize(defaults.limits.maxHeaderBytes)

    @Option(name: .customLong("max-mime-depth"), help: ArgumentHelp("Skip MIME parts nested deeper than N multiparts.", valueName: "N"))
    var maxMIMEDepth = defaults.limits.maxMIMEDepth

    @Option(name: .customLong("max-parts"), help: ArgumentHelp("Ignore MIME parts of a message beyond the first N.", valueName: "N"))
    var maxParts = defaults.limits.maxParts

    @Option(name: .customLong("max-line-length"), help: ArgumentHelp("Warn about lines longer than SIZE (they are kept).", valueName: "SIZE"))
    var maxLineLength = ByteSize(defaults.limits.maxLineBytes)

    @Option(name: .customLong("max-decoded-size"), help: ArgumentHelp("Cut a message's decoded text (base64, quoted-printable, charsets) at SIZE.", valueName: "SIZE"))
    var maxDecodedSize = ByteSize(defaults.limits.maxDecodedBytes)

    @Option(name: .customLong("max-gzip-size"), help: ArgumentHelp("Refuse a gzip-compressed input that decompresses to more than SIZE.", valueName: "SIZE"))
    var maxGzipSize = ByteSize(defaults.maxGzipBytes)

    func validate() throws {
        for (flag, value) in [("--max-message-size", maxMessageSize.bytes), ("--max-headers", maxHeaders),
                              ("--max-header-length", maxHeaderLength.bytes), ("--max-mime-depth", maxMIMEDepth),
                              ("--max-parts", maxParts), ("--max-line-length", maxLineLength.bytes),
                              ("--max-decoded-size", maxDecodedSize.bytes), ("--max-gzip-size", maxGzipSize.bytes)]
        where value < 1 {
            throw ValidationError("\(flag) must be at least 1.")
        }
    }

    /// Reading options with these limits (and the mbox flavour).
    func readOptions(format: MboxFormat = .auto) -> ReadOptions {
        var options = ReadOptions()
        options.format = format
        options.limits.maxMessageBytes = maxMessageSize.bytes
        options.limits.maxHeaderCount = maxHeaders
        options.limits.maxHeaderBytes = maxHeaderLength.bytes
        options.limits.maxMIMEDepth = maxMIMEDepth
        options.limits.maxParts = maxParts
        options.limits.maxLineBytes = maxLineLength.bytes
        options.limits.maxDecodedBytes = maxDecodedSize.bytes
        options.maxGzipBytes = maxGzipSize.bytes
        return options
    }
}

/// Limits on the rules' work per function: hitting one gives a note naming the function and the
/// limit; the other functions are analysed as usual.
struct RuleLimitOptions: ParsableArguments {
    private static let defaults = RuleLimits()

    @Option(name: .customLong("max-path-steps"), help: ArgumentHelp("Stop exploring a function's paths after N steps (a step carrying a large state counts more).", valueName: "N"))
    var maxPathSteps = defaults.maxPathSteps

    @Option(name: .customLong("max-states"), help: ArgumentHelp("Stop following further paths through a point of a function once N distinct states have reached it.", valueName: "N"))
    var maxStates = defaults.maxStatesPerPoint

    @Option(name: .customLong("max-function-tokens"), help: ArgumentHelp("Skip functions of more than N C tokens.", valueName: "N"))
    var maxFunctionTokens = defaults.maxFunctionTokens

    func validate() throws {
        for (flag, value) in [("--max-path-steps", maxPathSteps), ("--max-states", maxStates),
                              ("--max-function-tokens", maxFunctionTokens)] where value < 1 {
            throw ValidationError("\(flag) must be at least 1.")
        }
    }

    var ruleLimits: RuleLimits {
        var limits = RuleLimits()
        limits.maxPathSteps = maxPathSteps
        limits.maxStatesPerPoint = maxStates
        limits.maxFunctionTokens = maxFunctionTokens
        return limits
    }
}

/// Limits of the review command beyond reading and rules: the thread and what is fetched.
struct ThreadLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-thread-size"), help: ArgumentHelp("Review at most N replies to one patch (thread order); a warning counts the rest.", valueName: "N"))
    var maxThreadSize = ReportOptions().maxThreadMessages

    @Option(name: .customLong("max-fetch-size"), help: ArgumentHelp("Refuse a fetched thread whose decoded mbox is larger than SIZE.", valueName: "SIZE"))
    var maxFetchSize = ByteSize(FetchOptions().maxSize)

    func validate() throws {
        if maxThreadSize < 1 { throw ValidationError("--max-thread-size must be at least 1.") }
        if maxFetchSize.bytes < 1 { throw ValidationError("--max-fetch-size must be at least 1.") }
    }
}

/// How a mailbox is read thread by thread (review and remarks): the window after which a thread
/// is reviewed and dropped, and what one thread may hold (`ThreadWindowOptions`).
struct ThreadWindowFlags: ParsableArguments {
    private static let defaults = ThreadWindowOptions()

    @Option(name: .customLong("thread-window"), help: ArgumentHelp("Review a thread once N messages were read after its last one (or --thread-window-size bytes, whichever comes first), and drop it; a later message of it is reviewed as a continuation, with a warning. 0 reads the whole input first.", valueName: "N"))
    var threadWindow = defaults.messages

    @Option(name: .customLong("thread-window-size"), help: ArgumentHelp("The window in bytes of decoded mail (0: only --thread-window counts).", valueName: "SIZE"))
    var threadWindowSize = ByteSize(defaults.bytes)

    @Option(name: .customLong("max-thread-messages"), help: ArgumentHelp("Keep at most N messages of one thread (with its unthreaded patches and revisions); a warning counts the rest.", valueName: "N"))
    var maxThreadMessages = defaults.maxGroupMessages

    @Option(name: .customLong("max-thread-bytes"), help: ArgumentHelp("Keep at most SIZE of decoded mail of one thread; a warning counts the messages left out.", valueName: "SIZE"))
    var maxThreadBytes = ByteSize(defaults.maxGroupBytes)

    func validate() throws {
        if threadWindow < 0 { throw ValidationError("--thread-window must be 0 or more.") }
        if maxThreadMessages < 1 { throw ValidationError("--max-thread-messages must be at least 1.") }
        if maxThreadBytes.bytes < 1 { throw ValidationError("--max-thread-bytes must be at least 1.") }
    }

    func options(linkSubjects: Bool = false) -> ThreadWindowOptions {
        var o = ThreadWindowOptions()
        if threadWindow == 0 {
            o = .unbounded
        } else {
            o.messages = threadWindow
            o.bytes = threadWindowSize.bytes
        }
        o.maxGroupMessages = maxThreadMessages
        o.maxGroupBytes = maxThreadBytes.bytes
        o.linkSubjects = linkSubjects
        return o
    }
}
